package dev.tessera.benchmarks.poly;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs problems through the isl oracle ({@code isl_oracle -t}, which appends the microseconds
 * isl spent on each problem, argument parsing included, to its answer) and collects those times.
 * The oracle process is started once per round over all problems, so process start-up is not
 * counted; only isl's own per-problem time is.
 */
final class IslTimer {
    private final Path oracle;

    IslTimer(Path oracle) {
        this.oracle = oracle;
    }

    /** The answers and times of one run of the oracle over {@code problems}, in input order. */
    record Run(List<String> answers, double[] micros) {}

    Run run(List<ProblemFile.Problem> problems) throws IOException, InterruptedException {
        Path input = Files.createTempFile("poly-vs-isl", ".tsv");
        try {
            List<String> lines = new ArrayList<>(problems.size());
            for (ProblemFile.Problem p : problems) {
                lines.add(p.line());
            }
            Files.write(input, lines, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(oracle.toString(), "-t")
                    .redirectInput(input.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<String> answers = new ArrayList<>(problems.size());
            double[] micros = new double[problems.size()];
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int i = 0;
                while ((line = out.readLine()) != null) {
                    if (i >= problems.size()) {
                        throw new IOException("the oracle printed more lines than it was given problems");
                    }
                    int tab = line.lastIndexOf('\t');
                    if (tab < 0) {
                        throw new IOException("oracle line without a time (was it run with -t?): " + line);
                    }
                    answers.add(line.substring(0, tab));
                    micros[i++] = Double.parseDouble(line.substring(tab + 1));
                }
                if (i != problems.size()) {
                    throw new IOException("the oracle answered " + i + " of " + problems.size() + " problems");
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IOException("the oracle exited with status " + exit);
            }
            return new Run(answers, micros);
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
