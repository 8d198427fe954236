package dev.tessera.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExecutionReportTest {
    @Test
    void threeDecimalsIsWhatTheFormatterWrites() {
        SplittableRandom r = new SplittableRandom(5);
        double[] edges = {0.0005, 1.0005, 2.0005, 0.0015, 1234.5675, 999.9995, -0.0005, -1.0005, 1e-9, 123456789.0625,
            4.4e15 + 0.5, 0.1 + 0.2, 60.0 + 512.0 * 2 / 27.0, Math.nextUp(1.0), Math.nextDown(0.0015), 1.0E7 + 0.25,
            -1.0E-4, -4.999E-4, -Double.MIN_VALUE, -Double.MIN_NORMAL, 1e300 + 0.0, -1e22};
        for (double v : edges) {
            assertThat(ExecutionReport.threeDecimals(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.3f", v));
        }
        for (int n = 0; n < 200_000; n++) {
            double v;
            switch (n % 5) {
                case 4 -> v = -r.nextDouble() * Math.pow(10, r.nextInt(-12, -2));
                case 0 -> v = r.nextDouble() * Math.pow(10, r.nextInt(-4, 16));
                case 1 -> v = Math.round(r.nextDouble() * 1e7) / 1e4 + (r.nextBoolean() ? 0.0005 : -0.0005);
                case 2 -> v = -r.nextDouble() * 1e6;
                default -> {
                    // Emulated times: sums of costs such as fixed ns plus bytes over bandwidth.
                    v = 0;
                    for (int k = r.nextInt(1, 50); k > 0; k--) {
                        v += 60.0 + r.nextInt(1, 1 << 20) / 28.991029248;
                    }
                }
            }
            assertThat(ExecutionReport.threeDecimals(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.3f", v));
        }
    }
}
