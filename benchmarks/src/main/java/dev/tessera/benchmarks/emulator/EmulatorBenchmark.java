package dev.tessera.benchmarks.emulator;

import dev.tessera.benchmarks.RatioTable;
import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.emulator.Emulator;
import dev.tessera.emulator.ExecutionReport;
import dev.tessera.emulator.PreparedProgram;
import dev.tessera.emulator.StorageDtype;
import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Ops;
import dev.tessera.emulator.program.ProgramText;
import dev.tessera.emulator.program.Stream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Emulator throughput, each figure next to a baseline measured in the same run:
 * <ul>
 *   <li>functional MAC/s on a matmul-heavy program (64 fp32 matmuls of 128x128x512 into 8 PSUM
 *       banks, evicted and stored), against a plain Java triple loop doing the same MACs;</li>
 *   <li>timing-only instructions/s on a pipeline of about a million instructions (ResNet-50-sized:
 *       load, 4 matmuls, evicting activation and store per tile, rotating SBUF slots and PSUM banks,
 *       semaphores between 4 engines): runs of a program prepared once
 *       ({@link Emulator#run(PreparedProgram, Emulator.Options)}), the one-off preparation
 *       ({@link Emulator#prepare}) on its own, and runs from the object program (preparing every time),
 *       against a plain walk over the same instructions that only adds up their operand sizes. A run
 *       replays its timeline's start times only when the timeline is read, so runs that then read it
 *       are timed too; so are, for context, building the program object (the code generator's cost)
 *       and parsing the program's text (what the {@code emulate} command adds).</li>
 * </ul>
 * Every case (each figure and each baseline) is timed in a JVM of its own, started with this JVM's
 * options, as JMH forks: in one JVM the cases timed first would train the compiled code the later
 * ones run (the functional matmul the timing-only loop, say) and leave their garbage in the heap.
 * Each timing case prints its mean, its median, its best run and the thread's CPU time of its best
 * run: the machine it runs on is shared, the median is less moved by the runs another process slowed,
 * and the best run and the CPU time show what the code costs when it is not waiting for a core. The
 * load average is printed before and after.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tessera.benchmarks.emulator.EmulatorBenchmark [tiles [runs]]};
 * {@code [tiles [runs]] --case NAME} times one case in this JVM and prints its {@code result} line.
 */
public final class EmulatorBenchmark {
    private static final AcceleratorSpec SPEC = AcceleratorSpec.load("inferentia2");
    private static final int MATMULS = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EmulatorBenchmark() {}

    /** The cases, each timed in a JVM of its own. */
    private static final List<String> CASES = List.of("functional", "tripleLoop", "prepared", "withTimeline", "prepare", "oneCall",
            "walk", "build", "parse");

    public static void main(String[] args) throws Exception {
        List<String> numbers = new ArrayList<>();
        String only = null;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--case")) {
                if (k + 1 == args.length) {
                    throw new IllegalArgumentException("--case needs a case name; cases: " + CASES);
                }
                only = args[++k];
            } else {
                numbers.add(args[k]);
            }
        }
        if (numbers.size() > 2) {
            throw new IllegalArgumentException("usage: EmulatorBenchmark [tiles [runs]] [--case NAME], got " + List.of(args));
        }
        int tiles = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 60_000;
        int runs = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 15;
        if (only != null) {
            runCase(only, tiles, runs);
            return;
        }
        System.out.printf(Locale.ROOT, "load average at start: %.2f (%d cores)%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
        Map<String, Timing> t = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : CASES) {
            forkCase(name, tiles, runs, t, counts);
        }
        long macs = counts.get("macs");
        long instructions = counts.get("instructions");
        RatioTable table = new RatioTable("emulator", "baseline");
        table.add("functional matmul (" + MATMULS + " x 128x128x512) vs triple loop", t.get("functional").mean, t.get("tripleLoop").mean);
        table.add("timing-only run of the prepared " + instructions + " instructions vs operand walk", t.get("prepared").mean,
                t.get("walk").mean);
        table.add("preparing them (once) vs operand walk", t.get("prepare").mean, t.get("walk").mean);
        table.add("timing-only run from the object program (prepare + run) vs operand walk", t.get("oneCall").mean, t.get("walk").mean);
        System.out.print(table.render());
        Timing functional = t.get("functional");
        Timing tripleLoop = t.get("tripleLoop");
        System.out.printf(Locale.ROOT, "functional: %.3f G MAC/s mean, %.3f best (triple loop %.3f G MAC/s mean, %.3f best); goal >= 1 G MAC/s%n",
                macs / functional.mean, macs / functional.best, macs / tripleLoop.mean, macs / tripleLoop.best);
        System.out.printf(Locale.ROOT, "timing-only, %d instructions (emulated %.3f ms):%n", instructions, counts.get("emulatedNs") / 1e6);
        rate("run of the prepared program", instructions, t.get("prepared"));
        rate("the same, then its timeline read", instructions, t.get("withTimeline"));
        rate("preparation, once per program", instructions, t.get("prepare"));
        rate("prepare + run (the object program)", instructions, t.get("oneCall"));
        rate("operand walk (baseline)", instructions, t.get("walk"));
        rate("building the program object (context)", instructions, t.get("build"));
        rate("parsing its text, " + counts.get("textMB") + " MB (context)", instructions, t.get("parse"));
        System.out.println("goal >= 10 M instructions/s (instructions/s above: instructions / time of the line's own work)");
        System.out.println("building the program object (the benchmark's generator, MachineProgram.Builder, validation and"
                + " encoding) is the code generator's cost, not the emulator's; parsing the program's text is what the emulate"
                + " command adds; both are printed for context");
        System.out.printf(Locale.ROOT, "load average at end: %.2f%n", loadAverage());
    }

    /**
     * Times one case in a JVM of its own (as JMH forks): what one case compiles and allocates does not
     * shape another's compiled code or heap. The child gets this JVM's options and class path (and not
     * {@code JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS} again, whose options are among this JVM's)
     * and prints {@code result} and {@code count} lines; a child that fails fails the benchmark.
     */
    private static void forkCase(String name, int tiles, int runs, Map<String, Timing> timings, Map<String, Long> counts)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmulatorBenchmark.class.getName(),
                String.valueOf(tiles), String.valueOf(runs), "--case", name));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process child = builder.start();
        List<String> lines;
        int exit;
        try {
            child.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                lines = out.lines().toList();
            }
            exit = child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        if (exit != 0) {
            throw new IllegalStateException("case " + name + " failed (exit " + exit + "): " + lines);
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("result")) {
                timings.put(f[1], new Timing(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5])));
            } else if (f[0].equals("count")) {
                counts.put(f[1], Long.parseLong(f[2]));
            }
        }
        if (!timings.containsKey(name)) {
            throw new IllegalStateException("case " + name + " printed no result: " + lines);
        }
    }

    /** Times one case in this JVM and prints its result (and the counts the report needs) for the parent. */
    private static void runCase(String name, int tiles, int runs) {
        if (!CASES.contains(name)) {
            throw new IllegalArgumentException("unknown case " + name + "; cases: " + CASES);
        }
        Timing timing;
        switch (name) {
            case "functional", "tripleLoop" -> {
                MachineProgram heavy = matmulHeavy();
                Map<String, float[]> data = Emulator.seededData(heavy, 1);
                if (name.equals("functional")) {
                    timing = Timing.of(3, 5, () -> Emulator.run(heavy, SPEC, Emulator.Options.functional(data)).macs());
                    System.out.println("count macs " + Emulator.run(heavy, SPEC, Emulator.Options.functional(data)).macs());
                } else {
                    float[] a = data.get("w");
                    float[] b = data.get("x");
                    timing = Timing.of(3, 5, () -> tripleLoop(a, b));
                }
            }
            case "build" -> timing = Timing.of(2, 3, () -> pipeline(tiles).instructionCount());
            case "parse" -> {
                String text = ProgramText.print(pipeline(tiles));
                System.out.println("count textMB " + text.length() / 1_000_000);
                timing = Timing.of(2, 3, () -> ProgramText.parse(text).instructionCount());
            }
            default -> {
                MachineProgram pipeline = pipeline(tiles);
                // Prepared only for the cases that run it, so the others carry no prepared program in their heap.
                PreparedProgram ready = name.equals("prepared") || name.equals("withTimeline") ? Emulator.prepare(pipeline, SPEC) : null;
                timing = switch (name) {
                    case "prepare" -> Timing.of(3, Math.max(3, runs / 3), () -> Emulator.prepare(pipeline, SPEC).instructionCount());
                    case "prepared" -> Timing.of(5, runs, () -> Emulator.run(ready, Emulator.Options.timingOnly()).instructions());
                    case "withTimeline" -> Timing.of(3, Math.max(3, runs / 3),
                            () -> (long) Emulator.run(ready, Emulator.Options.timingOnly()).timeline().get(0).endNs());
                    case "oneCall" -> Timing.of(3, Math.max(3, runs / 3),
                            () -> Emulator.run(pipeline, SPEC, Emulator.Options.timingOnly()).instructions());
                    case "walk" -> Timing.of(5, runs, () -> walk(pipeline));
                    default -> throw new IllegalArgumentException("unknown case " + name + "; cases: " + CASES);
                };
                if (name.equals("prepared")) {
                    ExecutionReport report = Emulator.run(ready, Emulator.Options.timingOnly());
                    System.out.println("count instructions " + pipeline.instructionCount());
                    System.out.println("count emulatedNs " + Math.round(report.totalNs()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "result %s %.1f %.1f %.1f %.1f%n", name, timing.mean, timing.median, timing.best, timing.bestCpu);
    }

    private static void rate(String what, long instructions, Timing t) {
        System.out.printf(Locale.ROOT, "  %-38s %8.1f ms mean %6.2f M instr/s | median %8.1f ms %6.2f M/s | best %8.1f ms %6.2f M/s"
                + " | its CPU %8.1f ms %6.2f M/s%n", what, t.mean / 1e6, instructions / t.mean * 1e3, t.median / 1e6,
                instructions / t.median * 1e3, t.best / 1e6, instructions / t.best * 1e3, t.bestCpu / 1e6, instructions / t.bestCpu * 1e3);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Mean, median and best wall-clock ns of the measured calls, and the thread CPU ns of the best one. */
    private record Timing(double mean, double median, double best, double bestCpu) {
        /** Times {@code runs} calls after {@code warmups} calls; the results are consumed so no call is dead. */
        static Timing of(int warmups, int runs, LongSupplier work) {
            long sink = 0;
            for (int i = 0; i < warmups; i++) {
                sink += work.getAsLong();
            }
            long total = 0;
            long[] walls = new long[runs];
            long best = Long.MAX_VALUE;
            long bestCpu = 0;
            for (int i = 0; i < runs; i++) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                sink += work.getAsLong();
                long wall = System.nanoTime() - start;
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                total += wall;
                walls[i] = wall;
                if (wall < best) {
                    best = wall;
                    bestCpu = cpu;
                }
            }
            if (sink == 42) {
                System.out.println();
            }
            Arrays.sort(walls);
            double median = runs % 2 == 1 ? walls[runs / 2] : (walls[runs / 2 - 1] + walls[runs / 2]) / 2.0;
            return new Timing(total / (double) runs, median, best, bestCpu);
        }
    }

    /** The same MACs as the matmul-heavy program, in the same order, on plain arrays. */
    private static long tripleLoop(float[] stationary, float[] moving) {
        float[][] banks = new float[8][128 * 512];
        for (int i = 0; i < MATMULS; i++) {
            float[] out = banks[i % 8];
            for (int k = 0; k < 128; k++) {
                for (int m = 0; m < 128; m++) {
                    float s = stationary[k * 128 + m];
                    for (int n = 0; n < 512; n++) {
                        out[m * 512 + n] += s * moving[k * 512 + n];
                    }
                }
            }
        }
        return Float.floatToIntBits(banks[3][777]);
    }

    private static long walk(MachineProgram p) {
        long elements = 0;
        for (Stream s : p.streams()) {
            for (Instruction i : s.instructions()) {
                for (AccessPattern ap : i.reads()) {
                    elements += ap.elements();
                }
                for (AccessPattern ap : i.writes()) {
                    elements += ap.elements();
                }
            }
        }
        return elements;
    }

    static MachineProgram matmulHeavy() {
        MachineProgram.Builder b = MachineProgram.builder("matmul_heavy");
        b.dram("w", StorageDtype.FP32, DramTensor.Role.WEIGHT, 128, 128);
        b.dram("x", StorageDtype.FP32, DramTensor.Role.INPUT, 128, 512);
        b.dram("y", StorageDtype.FP32, DramTensor.Role.OUTPUT, 128, 8 * 512);
        b.sbuf("w_s", StorageDtype.FP32, 0, 0, 128, 128);
        b.sbuf("x_s", StorageDtype.FP32, 0, 512, 128, 512);
        b.sbuf("y_s", StorageDtype.FP32, 0, 2560, 128, 8 * 512);
        b.semaphore("loaded");
        b.semaphore("multiplied");
        b.semaphore("evicted");
        InstructionRef lw = b.dma(0, AccessPattern.tile("w_s", 0, 128, 0, 128), AccessPattern.dram("w", 0, Dim.of(128, 128), Dim.of(128, 1)));
        b.dma(0, AccessPattern.tile("x_s", 0, 128, 0, 512), AccessPattern.dram("x", 0, Dim.of(128, 512), Dim.of(512, 1)));
        b.signal(Engine.dma(0), "loaded");
        b.waitFor(Engine.TENSOR, "loaded", 1);
        InstructionRef[] first = new InstructionRef[8];
        InstructionRef last = null;
        for (int i = 0; i < MATMULS; i++) {
            int bank = i % 8;
            if (i < 8) {
                b.psum("acc" + bank, 0, bank * 2048L, 128, 512);
            }
            last = b.matmul(AccessPattern.tile("acc" + bank, 0, 128, 0, 512), AccessPattern.tile("w_s", 0, 128, 0, 128),
                    AccessPattern.tile("x_s", 0, 128, 0, 512), i >= 8);
            if (i < 8) {
                first[bank] = last;
            }
        }
        b.signal(Engine.TENSOR, "multiplied");
        b.waitFor(Engine.SCALAR, "multiplied", 1);
        InstructionRef firstEviction = null;
        for (int bank = 0; bank < 8; bank++) {
            InstructionRef evict = b.add(Engine.SCALAR, new Instruction.Activation(Ops.Activation.IDENTITY,
                    AccessPattern.tile("y_s", 0, 128, bank * 512L, 512), AccessPattern.tile("acc" + bank, 0, 128, 0, 512), 1f, 0f));
            b.live("acc" + bank, first[bank], evict);
            firstEviction = firstEviction == null ? evict : firstEviction;
        }
        b.signal(Engine.SCALAR, "evicted");
        b.waitFor(Engine.dma(1), "evicted", 1);
        InstructionRef store = b.dma(1, AccessPattern.dram("y", 0, Dim.of(128, 4096), Dim.of(4096, 1)),
                AccessPattern.tile("y_s", 0, 128, 0, 4096));
        b.live("w_s", lw, last);
        b.live("x_s", new InstructionRef(Engine.dma(0), 1), last);
        b.live("y_s", firstEviction, store);
        return b.build();
    }

    /** Per tile: load (dma0), 4 accumulating matmuls (tensor), ReLU eviction (scalar), store (dma1). */
    static MachineProgram pipeline(int tiles) {
        MachineProgram.Builder b = MachineProgram.builder("pipeline");
        b.dram("w", StorageDtype.BF16, DramTensor.Role.WEIGHT, 128, 128);
        b.dram("x", StorageDtype.BF16, DramTensor.Role.INPUT, 128, 512);
        b.dram("y", StorageDtype.BF16, DramTensor.Role.OUTPUT, 128, 512);
        b.sbuf("w_s", StorageDtype.BF16, 0, 0, 128, 128);
        for (String s : new String[] {"weights", "loaded", "multiplied", "evicted", "stored"}) {
            b.semaphore(s);
        }
        InstructionRef lw = b.dma(2, AccessPattern.tile("w_s", 0, 128, 0, 128), AccessPattern.dram("w", 0, Dim.of(128, 128), Dim.of(128, 1)));
        b.signal(Engine.dma(2), "weights");
        b.waitFor(Engine.TENSOR, "weights", 1);
        AccessPattern xTile = AccessPattern.dram("x", 0, Dim.of(128, 512), Dim.of(512, 1));
        AccessPattern yTile = AccessPattern.dram("y", 0, Dim.of(128, 512), Dim.of(512, 1));
        InstructionRef lastMatmul = null;
        for (int t = 0; t < tiles; t++) {
            String in = "in" + t;
            String acc = "acc" + t;
            String out = "out" + t;
            b.sbuf(in, StorageDtype.BF16, 0, 256 + (t % 4) * 1024L, 128, 512);
            b.sbuf(out, StorageDtype.BF16, 0, 256 + (4 + t % 4) * 1024L, 128, 512);
            b.psum(acc, 0, (t % 8) * 2048L, 128, 512);
            if (t >= 4) {
                b.waitFor(Engine.dma(0), "multiplied", t - 3);
            }
            InstructionRef load = b.dma(0, AccessPattern.tile(in, 0, 128, 0, 512), xTile);
            b.signal(Engine.dma(0), "loaded");
            b.waitFor(Engine.TENSOR, "loaded", t + 1);
            if (t >= 8) {
                b.waitFor(Engine.TENSOR, "evicted", t - 7);
            }
            InstructionRef first = null;
            for (int m = 0; m < 4; m++) {
                lastMatmul = b.matmul(AccessPattern.tile(acc, 0, 128, 0, 512), AccessPattern.tile("w_s", 0, 128, 0, 128),
                        AccessPattern.tile(in, 0, 128, 0, 512), m > 0);
                first = first == null ? lastMatmul : first;
            }
            b.signal(Engine.TENSOR, "multiplied");
            b.waitFor(Engine.SCALAR, "multiplied", t + 1);
            if (t >= 4) {
                b.waitFor(Engine.SCALAR, "stored", t - 3);
            }
            InstructionRef evict = b.add(Engine.SCALAR, new Instruction.Activation(Ops.Activation.RELU,
                    AccessPattern.tile(out, 0, 128, 0, 512), AccessPattern.tile(acc, 0, 128, 0, 512), 1f, 0f));
            b.signal(Engine.SCALAR, "evicted");
            b.waitFor(Engine.dma(1), "evicted", t + 1);
            InstructionRef store = b.dma(1, yTile, AccessPattern.tile(out, 0, 128, 0, 512));
            b.signal(Engine.dma(1), "stored");
            b.live(in, load, lastMatmul);
            b.live(acc, first, evict);
            b.live(out, evict, store);
        }
        b.live("w_s", lw, lastMatmul);
        return b.build();
    }
}
