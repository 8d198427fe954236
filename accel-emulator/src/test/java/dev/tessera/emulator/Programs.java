package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.ProgramText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test programs: the examples and a harness around one instruction. */
final class Programs {
    static final AcceleratorSpec INF2 = AcceleratorSpec.load("inferentia2");
    static final AcceleratorSpec INF1 = AcceleratorSpec.load("inferentia1");

    private Programs() {}

    static MachineProgram example(String name) {
        try {
            return ProgramText.parse(Files.readString(Path.of("examples", name + ".tasm"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole tile {@code [0:p, +0, f@1]} of an allocation. */
    static AccessPattern tile(String buffer, int p, int f) {
        return AccessPattern.tile(buffer, 0, p, 0, f);
    }

    /**
     * Loads each input (a p x f fp32 tile; DRAM tensor {@code name}, SBUF allocation {@code name_s})
     * on dma0, runs {@code ins} on {@code engine}, stores each output allocation {@code name_s} to DRAM
     * {@code name} on dma1, and returns the outputs of a functional run on inferentia2.
     */
    static Map<String, float[]> runOne(Engine engine, Instruction ins, int p, Map<String, Integer> inputs,
            Map<String, Integer> outputs, Map<String, float[]> data) {
        MachineProgram.Builder b = MachineProgram.builder("one");
        long offset = 0;
        for (Map.Entry<String, Integer> in : inputs.entrySet()) {
            b.dram(in.getKey(), dev.tessera.emulator.StorageDtype.FP32, DramTensor.Role.INPUT, p, in.getValue());
            b.sbuf(in.getKey() + "_s", dev.tessera.emulator.StorageDtype.FP32, 0, offset, p, in.getValue());
            offset += 4L * in.getValue();
        }
        for (Map.Entry<String, Integer> out : outputs.entrySet()) {
            b.dram(out.getKey(), dev.tessera.emulator.StorageDtype.FP32, DramTensor.Role.OUTPUT, p, out.getValue());
            b.sbuf(out.getKey() + "_s", dev.tessera.emulator.StorageDtype.FP32, 0, offset, p, out.getValue());
            offset += 4L * out.getValue();
        }
        b.semaphore("loaded");
        b.semaphore("done");
        Map<String, InstructionRef> loads = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> in : inputs.entrySet()) {
            loads.put(in.getKey(), b.dma(0, tile(in.getKey() + "_s", p, in.getValue()),
                    AccessPattern.dram(in.getKey(), 0, Dim.of(p, in.getValue()), Dim.of(in.getValue(), 1))));
        }
        b.signal(Engine.dma(0), "loaded");
        b.waitFor(engine, "loaded", 1);
        InstructionRef op = b.add(engine, ins);
        b.signal(engine, "done");
        b.waitFor(Engine.dma(1), "done", 1);
        for (Map.Entry<String, Integer> out : outputs.entrySet()) {
            InstructionRef store = b.dma(1, AccessPattern.dram(out.getKey(), 0, Dim.of(p, out.getValue()), Dim.of(out.getValue(), 1)),
                    tile(out.getKey() + "_s", p, out.getValue()));
            b.live(out.getKey() + "_s", op, store);
        }
        loads.forEach((name, load) -> b.live(name + "_s", load, op));
        ExecutionReport r = Emulator.run(b.build(), INF2, Emulator.Options.functional(data));
        return r.outputs();
    }

    static float[] random(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return v;
    }
}
