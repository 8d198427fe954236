package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of the reference emulator the tests compare the flat one against ({@link ReferenceEmulatorRun}).
 * One instruction prepared for execution: resolved operands, its cost and what it counts as.
 */
final class ReferenceStep {
    enum Kind { DMA, MATMUL, BINARY, UNARY, REDUCE, COPY, ACTIVATION, MEMSET, WAIT, SIGNAL }

    /** An operand resolved to its buffer and region. */
    record Operand(ReferenceBufferState buffer, AccessPattern pattern, ReferenceBox box) {}

    /** No operands (waits and signals). */
    static final Operand[] NO_OPERANDS = new Operand[0];

    final Kind kind;
    final Instruction instruction;
    /** The engine of the stream this instruction is in. */
    final Engine engine;
    /** The stream index of that engine in the run. */
    final int stream;
    /** The position in its stream. */
    final int index;
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
    /** The allocations whose lifetime ends with this instruction (an empty shared list for most). */
    List<ReferenceBufferState> ending = List.of();

    ReferenceStep(Kind kind, Instruction instruction, Engine engine, int stream, int index, Operand[] reads, Operand write, double costNs,
            int semaphore, int count, ExecutionReport.Direction direction, long writeBytes, long macs) {
        this.kind = kind;
        this.instruction = instruction;
        this.engine = engine;
        this.stream = stream;
        this.index = index;
        this.reads = reads;
        this.write = write;
        this.costNs = costNs;
        this.semaphore = semaphore;
        this.count = count;
        this.direction = direction;
        this.writeBytes = writeBytes;
        this.macs = macs;
    }

    /** Which instruction this is; built on demand (messages, reports), not kept per instruction. */
    InstructionRef ref() {
        return new InstructionRef(engine, index);
    }

    void endsLifetimeOf(ReferenceBufferState b) {
        if (ending.isEmpty()) {
            ending = new ArrayList<>(1);
        }
        ending.add(b);
    }

    String where() {
        return ref().text() + " (" + instruction.text() + ")";
    }
}
