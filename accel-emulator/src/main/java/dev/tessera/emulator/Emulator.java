package dev.tessera.emulator;

import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.MachineProgram;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a machine program on one emulated NeuronCore: {@code run(program, spec, options)} is a pure
 * function of its arguments and gives the same report every time.
 *
 * <p>Engines run concurrently, each its own stream in order; a {@code wait} holds its stream until the
 * semaphore's count is reached. Time: an instruction starts when its engine finished the previous
 * one (and, after a wait, no earlier than the signal it waited for) and lasts the cost the spec
 * gives it. Always checked, whatever the mode: bounds and partition rules, tile limits, reads of
 * memory no instruction wrote, races (two accesses to overlapping regions, at least one a write,
 * from different engines and not ordered by stream order and semaphores — decided by
 * happens-before, never by the emulated times), allocation lifetimes, deadlocks. Any of them throws
 * {@link MachineCheckException} naming the instructions.
 *
 * <p>Functional runs also compute the values (fp32 arithmetic; stores round to the buffer's dtype)
 * from the given input and weight data and return the outputs.
 */
public final class Emulator {
    private Emulator() {}

    /**
     * How to run: timing only, or functional with the data of every input and weight tensor (by
     * name, row-major, rounded to the tensor's dtype when loaded).
     */
    public record Options(boolean functional, Map<String, float[]> data) {
        public Options {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        /** Times and checks the program; computes no values. */
        public static Options timingOnly() {
            return new Options(false, Map.of());
        }

        /** Also computes values, from this data for the input and weight tensors. */
        public static Options functional(Map<String, float[]> data) {
            return new Options(true, data);
        }

        /**
         * Functional, with seeded random data for every input and weight tensor: values uniform in
         * [-1, 1), drawn from {@code SplittableRandom(seed)} split once per tensor in declaration
         * order, rounded to the tensor's dtype. The same seed gives the same data.
         */
        public static Options functionalSeeded(MachineProgram program, long seed) {
            return functional(seededData(program, seed));
        }
    }

    /** The data {@link Options#functionalSeeded} uses, for callers that also need it (reference checks). */
    public static Map<String, float[]> seededData(MachineProgram program, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, float[]> data = new LinkedHashMap<>();
        for (DramTensor t : program.dramTensors()) {
            if (t.role() == DramTensor.Role.INPUT || t.role() == DramTensor.Role.WEIGHT) {
                SplittableRandom r = root.split();
                float[] values = new float[(int) t.elements()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.dtype().round((float) (r.nextDouble() * 2 - 1));
                }
                data.put(t.name(), values);
            }
        }
        return data;
    }

    /** Prepares and runs in one call: {@code run(prepare(program, spec), options)}. */
    public static ExecutionReport run(MachineProgram program, AcceleratorSpec spec, Options options) {
        return run(prepare(program, spec), options);
    }

    /**
     * Checks {@code program} against {@code spec} and flattens it, once, for any number of runs. Throws
     * {@link MachineCheckException} for what fails whatever the order of execution (bounds, partition
     * rules, tile limits, operand sizes, DMA queues), with the message a run would give.
     */
    public static PreparedProgram prepare(MachineProgram program, AcceleratorSpec spec) {
        return new PreparedProgram(StepPlanner.plan(program, spec), spec);
    }

    /** Runs a prepared program: the report {@code run(program, spec, options)} gives, without preparing again. */
    public static ExecutionReport run(PreparedProgram prepared, Options options) {
        return new EmulatorRun(prepared.flat(), prepared.spec(), options).execute();
    }
}
