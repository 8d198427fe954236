package dev.tessera.emulator;

import dev.tessera.emulator.program.MachineProgram;

/**
 * A machine program checked against one spec and flattened once, to be run any number of times
 * ({@link Emulator#run(PreparedProgram, Emulator.Options)}): timing only, functional with different
 * data, in any order. Preparing does what depends only on the program and the spec — every
 * instruction's bounds, partition rules, tile limits, operand sizes and DMA queue, the cost of each
 * instruction, its operands resolved to buffers and regions (see {@link FlatProgram}), the DMA traffic
 * and MACs, the lifetime boundaries; a run does everything that depends on the order of execution: the
 * happens-before clocks, races, reads of never-written memory, lifetimes, deadlocks, the times, the
 * PSUM evictions and on-chip copies by engines, the occupancy and, when functional, the values. Running a prepared program gives exactly the report (or the failure)
 * that {@link Emulator#run(MachineProgram, AcceleratorSpec, Emulator.Options)} gives, which is
 * preparing and running in one call.
 *
 * <p>Immutable: the flat tables are written while preparing and only read by runs, so one prepared
 * program may be run from several threads at once.
 *
 * <p>Example: {@code PreparedProgram p = Emulator.prepare(program, spec);} then
 * {@code Emulator.run(p, Options.timingOnly())} for the time and
 * {@code Emulator.run(p, Options.functionalSeeded(program, 7))} for the values, preparing once.
 */
public final class PreparedProgram {
    private final FlatProgram flat;
    private final AcceleratorSpec spec;

    PreparedProgram(FlatProgram flat, AcceleratorSpec spec) {
        this.flat = flat;
        this.spec = spec;
    }

    public MachineProgram program() {
        return flat.program;
    }

    public AcceleratorSpec spec() {
        return spec;
    }

    /** How many instructions a run executes: all streams together, waits and signals included. */
    public int instructionCount() {
        return flat.steps();
    }

    FlatProgram flat() {
        return flat;
    }
}
