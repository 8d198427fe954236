package dev.tessera.benchmarks.poly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems of a golden file ({@code OP<TAB>ARG…<TAB>ANSWER}, as {@code isl_oracle -e} prints
 * them) or of a plain problem file ({@code OP<TAB>ARG…}), as input lines of the isl-oracle
 * protocol. Comment lines ({@code #…}, including {@code #in}/{@code #out} points) and empty lines
 * are skipped. Example: the golden line {@code is_empty<TAB>{ [i] : i > i }<TAB>true} gives the
 * problem {@code is_empty<TAB>{ [i] : i > i }}.
 */
record ProblemFile(List<Problem> problems) {

    /** One problem: its op (the first field) and the whole input line. */
    record Problem(String op, String line) {}

    ProblemFile {
        problems = List.copyOf(problems);
    }

    /** Reads {@code path}; with {@code golden} the last field (isl's answer) is dropped. */
    static ProblemFile read(Path path, boolean golden) throws IOException {
        List<Problem> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String input = line;
            if (golden) {
                int lastTab = line.lastIndexOf('\t');
                if (lastTab < 0) {
                    throw new IOException(path + ":" + lineNo + ": not a golden line (OP<TAB>ARG…<TAB>ANSWER)");
                }
                input = line.substring(0, lastTab);
            }
            int tab = input.indexOf('\t');
            if (tab <= 0) {
                throw new IOException(path + ":" + lineNo + ": no op and arguments separated by a TAB");
            }
            out.add(new Problem(input.substring(0, tab), input));
        }
        if (out.isEmpty()) {
            throw new IOException(path + ": no problems");
        }
        return new ProblemFile(out);
    }
}
