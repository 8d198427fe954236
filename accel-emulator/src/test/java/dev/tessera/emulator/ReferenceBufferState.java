package dev.tessera.emulator;

import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of the reference emulator the tests compare the flat one against ({@link ReferenceEmulatorRun}).
 *
 * The memory model of one buffer during a run: its contents (functional runs), which regions have
 * been written, the recent accesses the race check compares against, and its lifetime state.
 * Contents are kept per buffer: two allocations never share live bytes (checked), so a buffer's
 * values are exactly what the hardware would hold in its bytes while it is live.
 */
final class ReferenceBufferState {
    /** One access for the race check: instruction {@code index} of engine {@code engine}. */
    record Access(int engine, int index, ReferenceBox box, boolean write) {}

    final String name;
    final Allocation allocation;
    final DramTensor tensor;
    final int partitions;
    final int elementsPerPartition;
    final boolean psum;
    float[] data;
    final List<ReferenceBox> written = new ArrayList<>();
    final List<Access> accesses = new ArrayList<>();
    int pruneAt = 32;
    /** The operand last resolved on this buffer while planning, shared by the instructions that repeat its pattern. */
    ReferenceStep.Operand lastOperand;
    final List<ReferenceBox> awaitingEviction = new ArrayList<>();
    /** Per engine, the largest index of an instruction that accessed this allocation (-1: none). */
    final int[] lastAccess;
    boolean ended;
    /** The stream index of the engine of {@code allocation.firstUse()}. */
    int firstUseEngine;
    /** The instructions that start and end the allocation's lifetime. */
    ReferenceStep firstUse;
    ReferenceStep lastUse;

    ReferenceBufferState(Allocation a, int engines) {
        this.name = a.name();
        this.allocation = a;
        this.tensor = null;
        this.partitions = a.partitions();
        this.elementsPerPartition = a.elementsPerPartition();
        this.psum = a.space() == Allocation.Space.PSUM;
        this.lastAccess = new int[engines];
        java.util.Arrays.fill(lastAccess, -1);
    }

    ReferenceBufferState(DramTensor t) {
        this.name = t.name();
        this.allocation = null;
        this.tensor = t;
        this.partitions = 1;
        this.elementsPerPartition = (int) t.elements();
        this.psum = false;
        this.lastAccess = null;
    }

    float[] data() {
        if (data == null) {
            data = new float[partitions * elementsPerPartition];
        }
        return data;
    }

    ReferenceBox whole() {
        return new ReferenceBox(0, partitions, 0, elementsPerPartition);
    }

    String describe() {
        return allocation != null ? allocation.space().name().toLowerCase(java.util.Locale.ROOT) + " allocation '" + name + "'"
                : "DRAM tensor '" + name + "'";
    }
}
