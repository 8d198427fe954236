package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;

/** One instruction prepared for execution: resolved operands, its cost and what it counts as. */
final class Step {
    enum Kind { DMA, MATMUL, BINARY, UNARY, REDUCE, COPY, ACTIVATION, MEMSET, WAIT, SIGNAL }

    /** An operand resolved to its buffer and region. */
    record Operand(BufferState buffer, AccessPattern pattern, Box box) {}

    final Kind kind;
    final Instruction instruction;
    final InstructionRef ref;
    final Operand[] reads;
    final Operand write;
    final double costNs;
    final int semaphore;
    final int count;
    final ExecutionReport.Direction direction;
    final long writeBytes;
    final long macs;
    /** Whether this instruction starts or ends some allocation's lifetime (its ordering is kept). */
    boolean lifetimeBoundary;
    /** The ordering clock when this instruction ran (kept for lifetime boundaries only). */
    int[] clock;
    /** The allocations whose lifetime ends with this instruction. */
    final java.util.List<BufferState> ending = new java.util.ArrayList<>(0);

    Step(Kind kind, Instruction instruction, InstructionRef ref, Operand[] reads, Operand write, double costNs,
            int semaphore, int count, ExecutionReport.Direction direction, long writeBytes, long macs) {
        this.kind = kind;
        this.instruction = instruction;
        this.ref = ref;
        this.reads = reads;
        this.write = write;
        this.costNs = costNs;
        this.semaphore = semaphore;
        this.count = count;
        this.direction = direction;
        this.writeBytes = writeBytes;
        this.macs = macs;
    }

    String where() {
        return ref.text() + " (" + instruction.text() + ")";
    }
}
