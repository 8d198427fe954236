package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolyCommandTest {
    @Test
    void answersEveryStdinLineOnStdoutAndGoesOnAfterErrors() {
        String lines = "# footprint\ncard\t{ In[h] : exists (oh, r : h = 2oh + r - 1 and 0 <= oh < 4 and 0 <= r < 3 and 0 <= h < 8) }\n"
                + "is_subset\t{ [i] : 0 <= i < 4 }\n"
                + "is_subset\t[N] -> { [i] : 0 <= i < N }\t[N] -> { [i] : i >= 0 }\n";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
            assertThat(TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "poly")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.toString().split("\\R")).containsExactly(
                "# footprint", "8", "error: is_subset takes 2 argument(s), got 1 (is_subset)", "true");
        assertThat(err.toString()).isEmpty();
    }
}
