package dev.tessera.benchmarks.poly;

import dev.tessera.benchmarks.RatioTable;
import dev.tessera.polyhedral.calc.PolyCalculator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-op time of the polyhedral library against isl on the same problems, same machine, same run.
 *
 * <p>The library answers every problem in-process through {@link PolyCalculator#answer(String)}
 * (parsing included): {@code --warmup} rounds over the whole file, then {@code --rounds} timed
 * rounds. The oracle ({@code isl_oracle -t}) answers the same problems once after each timed
 * library round and reports isl's own time per problem (parsing included, process start
 * excluded); alternating the two sides makes a change in the machine's load affect both alike.
 * A problem whose first library answer took longer than {@code --once-above} milliseconds is left
 * out of the further warm-up rounds and timed once, in the first timed round, so a few slow
 * problems cannot stall the run yet still count with a time after warm-up (a first answer can be
 * slow only because it came before the JIT had compiled the library: the first problems of a file
 * took 100–250 ms cold and under 1 ms warm). A problem counts only if neither side
 * answered {@code error:}; the others are listed by op. The table gives, per op, the mean time
 * per problem of each side and their ratio (library / isl; below 1 means the library is faster),
 * and a last row over all counted problems.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tessera.benchmarks.poly.PolyVsIsl \
 *     polyhedral/src/test/resources/golden/conv.tsv /tmp/isl-oracle/isl_oracle \
 *     [--rounds 5] [--warmup 2] [--once-above 100] [--raw]
 * </pre>
 * {@code --raw}: the file holds problems without answers ({@code OP<TAB>ARG…}) instead of golden lines.
 */
public final class PolyVsIsl {
    private PolyVsIsl() {}

    private record Options(Path file, Path oracle, int rounds, int warmup, int onceAboveMillis, boolean golden) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: PolyVsIsl FILE ORACLE [--rounds N] [--warmup N] [--once-above MS] [--raw]");
            System.exit(2);
            return;
        }
        List<ProblemFile.Problem> problems = ProblemFile.read(o.file(), o.golden()).problems();
        int n = problems.size();

        String[] libAnswers = new String[n];
        double[] libNanos = new double[n]; // mean per problem
        boolean[] once = new boolean[n];
        int measuredOnce = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            libAnswers[i] = PolyCalculator.answer(problems.get(i).line());
            long dt = System.nanoTime() - t0;
            if (dt > o.onceAboveMillis() * 1_000_000L) {
                once[i] = true;
                measuredOnce++;
            }
        }
        for (int w = 1; w < o.warmup(); w++) {
            for (int i = 0; i < n; i++) {
                if (!once[i]) {
                    PolyCalculator.answer(problems.get(i).line());
                }
            }
        }
        IslTimer isl = new IslTimer(o.oracle());
        double[] islNanos = new double[n];
        List<String> islAnswers = null;
        for (int r = 0; r < o.rounds(); r++) {
            for (int i = 0; i < n; i++) {
                if (!once[i] || r == 0) {
                    long t0 = System.nanoTime();
                    libAnswers[i] = PolyCalculator.answer(problems.get(i).line());
                    long dt = System.nanoTime() - t0;
                    libNanos[i] += once[i] ? dt : (double) dt / o.rounds();
                }
            }
            IslTimer.Run run = isl.run(problems);
            islAnswers = run.answers();
            for (int i = 0; i < n; i++) {
                islNanos[i] += run.micros()[i] * 1e3;
            }
        }

        Map<String, double[]> perOp = new TreeMap<>(); // op -> {count, library ns, isl ns}
        Map<String, int[]> excluded = new TreeMap<>(); // op -> {library errors, isl errors}
        for (int i = 0; i < n; i++) {
            String op = problems.get(i).op();
            boolean libError = libAnswers[i].startsWith("error");
            boolean islError = islAnswers.get(i).startsWith("error");
            if (libError || islError) {
                int[] e = excluded.computeIfAbsent(op, k -> new int[2]);
                e[0] += libError ? 1 : 0;
                e[1] += islError ? 1 : 0;
                continue;
            }
            double[] s = perOp.computeIfAbsent(op, k -> new double[3]);
            s[0]++;
            s[1] += libNanos[i];
            s[2] += islNanos[i] / o.rounds();
        }

        RatioTable table = new RatioTable("tessera", "isl");
        double allCount = 0, allLib = 0, allIsl = 0;
        for (Map.Entry<String, double[]> e : perOp.entrySet()) {
            double[] s = e.getValue();
            allCount += s[0];
            allLib += s[1];
            allIsl += s[2];
            // isl reports whole microseconds; a mean of 0 means below its resolution
            table.add(String.format(Locale.ROOT, "%s (%d)", e.getKey(), (long) s[0]),
                    s[1] / s[0], Math.max(s[2] / s[0], 1.0));
        }
        if (allCount > 0) {
            table.add(String.format(Locale.ROOT, "all problems (%d)", (long) allCount),
                    allLib / allCount, Math.max(allIsl / allCount, 1.0));
        }
        System.out.printf(Locale.ROOT, "%s: %d problems, %d warm-up and %d timed rounds; mean time per problem%n",
                o.file(), n, o.warmup(), o.rounds());
        System.out.printf(Locale.ROOT, "library problems measured once (first answer above %d ms): %d%n",
                o.onceAboveMillis(), measuredOnce);
        System.out.print(table.render());
        if (!excluded.isEmpty()) {
            System.out.println("not timed (an error answer; library errors / isl errors):");
            for (Map.Entry<String, int[]> e : excluded.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-18s %5d / %d%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            }
        }
    }

    private static Options parse(String[] args) {
        List<String> positional = new ArrayList<>();
        int rounds = 5;
        int warmup = 2;
        int onceAbove = 100;
        boolean golden = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = positiveInt(args, ++i, "--rounds");
                case "--warmup" -> warmup = positiveInt(args, ++i, "--warmup");
                case "--once-above" -> onceAbove = positiveInt(args, ++i, "--once-above");
                case "--raw" -> golden = false;
                default -> {
                    if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("expected a problem file and the oracle binary, got " + positional);
        }
        Path file = Path.of(positional.get(0));
        Path oracle = Path.of(positional.get(1));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        if (!Files.isExecutable(oracle)) {
            throw new IllegalArgumentException("oracle is not an executable file: " + oracle);
        }
        return new Options(file, oracle, rounds, warmup, onceAbove, golden);
    }

    private static int positiveInt(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a number");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + args[i]);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got " + args[i]);
        }
    }
}
