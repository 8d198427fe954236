package dev.tessera.emulator;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.InstructionRef;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run of {@link Emulator#run} over a {@link FlatProgram}. Ordering is tracked with vector clocks:
 * {@code clock[e][f]} is how many instructions of engine f are known to have finished before engine
 * e's next instruction (by stream order and the semaphores waited on). An access by engine e is
 * ordered after instruction i of engine f iff {@code f == e} or {@code clock[e][f] > i}. Instructions
 * are processed in an order consistent with that relation (each stream in order, waits after their
 * signals); a read of a region not yet written holds its stream back until a writer comes — ordered
 * (fine) or not (a race) — or nothing else can run (a read of never-written memory).
 *
 * <p>Everything per instruction lives in primitive arrays sized once (the flat program, the clocks
 * and times of semaphore signals, the clocks of lifetime boundaries) or in pools that recycle their
 * entries ({@link AccessLog}, {@link RegionSets}), so the run allocates nothing per instruction. It
 * keeps no time per instruction: the timeline replays the start times from the signal times when it
 * is first read, and makes its entries one by one as they are read.
 */
final class EmulatorRun {
    private final FlatProgram p;
    private final AcceleratorSpec spec;
    private final Emulator.Options options;
    private final int engines;
    /** Per stream, the index of its next instruction. */
    private final int[] pc;
    private final double[] time;
    private final double[] busy;
    private final int[][] clock;
    private final boolean[] finished;
    // Semaphores: the clock and time of each signal, in order; the clock of signal n (from 0) of
    // semaphore s is signalClocks[s][n * engines .. (n + 1) * engines).
    private final int[][] signalClocks;
    private final double[][] signalTimes;
    private final int[] signalCount;
    /** Per lifetime boundary b, the ordering clock when it ran: {@code boundaryClock[b * engines + f]}. */
    private final int[] boundaryClock;
    /**
     * What the run keeps per buffer b, one record of {@code stride} ints at {@code b * stride}, so that
     * an instruction touching a buffer finds all of it in one or two cache lines: its access-log chain
     * ({@link AccessLog#CHAIN} ints), whether its lifetime has ended ({@link #ENDED}), the heads of its
     * written and awaiting-eviction regions ({@link #WRITTEN}, {@link #AWAITING}), and per engine g
     * the largest index of an instruction of g that accessed it, -1 for none ({@link #LAST_ACCESS} + g).
     */
    private final int[] buffer;
    private final int stride;
    private static final int ENDED = AccessLog.CHAIN;
    private static final int WRITTEN = ENDED + 1;
    private static final int AWAITING = ENDED + 2;
    private static final int LAST_ACCESS = ENDED + 3;
    /**
     * What has been written, per buffer. It only grows, so an operand once found written stays written
     * and an operand once added adds nothing again: per operand, {@link #KNOWN_WRITTEN} and
     * {@link #ADDED} remember that ({@code operandWritten}), and an operand reused by many
     * instructions (a weight tile, an accumulator) is looked up in the region sets once or twice.
     */
    private final RegionSets written;
    private final byte[] operandWritten;
    private static final byte KNOWN_WRITTEN = 1;
    private static final byte ADDED = 2;
    private final RegionSets awaitingEviction;
    private final AccessLog accesses;
    /**
     * Per allocation, the start time of its first use and the end time of its last use, noted when
     * they run: what the lifetime and occupancy checks sort and sweep.
     */
    private final double[] liveFrom;
    private final double[] lastUseEnd;
    /** The first allocation (in declaration order) accessed by an instruction not ordered before its lifetime's end, MAX_VALUE for none yet. */
    private int lateAllocation = Integer.MAX_VALUE;
    /** The allocations in order of their first use's start time (equal times in declaration order), once the run is over. */
    private int[] byStart;
    /** The values of a functional run; null for timing only. */
    private final Kernels kernels;

    private long onChipCount;
    private long onChipBytes;
    private long evictionCount;
    private long evictionBytes;

    EmulatorRun(FlatProgram p, AcceleratorSpec spec, Emulator.Options options) {
        this.p = p;
        this.spec = spec;
        this.options = options;
        this.engines = p.streams;
        int semaphores = p.signals.length;
        this.signalCount = new int[semaphores];
        this.signalClocks = new int[semaphores][];
        this.signalTimes = new double[semaphores][];
        for (int s = 0; s < semaphores; s++) {
            signalClocks[s] = new int[p.signals[s] * engines];
            signalTimes[s] = new double[p.signals[s]];
        }
        this.boundaryClock = new int[p.boundaries * engines];
        this.stride = LAST_ACCESS + engines;
        this.buffer = new int[p.buffers * stride];
        if (p.buffers > 0) {
            AccessLog.writeEmpty(buffer, 0);
            buffer[WRITTEN] = RegionSets.NONE;
            buffer[AWAITING] = RegionSets.NONE;
            Arrays.fill(buffer, LAST_ACCESS, stride, -1);
            // Every record starts as the first: copy the records filled so far after them, doubling them each time.
            for (int filled = stride; filled < buffer.length; filled *= 2) {
                System.arraycopy(buffer, 0, buffer, filled, Math.min(filled, buffer.length - filled));
            }
        }
        this.written = new RegionSets(buffer, stride, WRITTEN);
        this.operandWritten = new byte[p.operands];
        this.liveFrom = new double[p.firstUse.length];
        this.lastUseEnd = new double[p.firstUse.length];
        this.awaitingEviction = new RegionSets(buffer, stride, AWAITING);
        this.accesses = new AccessLog(buffer, stride);
        this.kernels = options.functional() ? new Kernels(p) : null;
        this.onChipCount = p.dmaOnChipCount;
        this.onChipBytes = p.dmaOnChipBytes;
        this.pc = new int[engines];
        this.time = new double[engines];
        this.busy = new double[engines];
        this.clock = new int[engines][engines];
        this.finished = new boolean[engines];
    }

    ExecutionReport execute() {
        loadData();
        int done = 0;
        for (int e = 0; e < engines; e++) {
            if (length(e) == 0) {
                finished[e] = true;
                done++;
            }
        }
        while (done < engines) {
            boolean progress = false;
            for (int e = 0; e < engines; e++) {
                if (finished[e]) {
                    continue;
                }
                int before = pc[e];
                runUntilBlocked(e);
                progress |= pc[e] != before;
                if (pc[e] == length(e)) {
                    finished[e] = true;
                    done++;
                }
            }
            if (!progress && done < engines) {
                throw stuck();
            }
        }
        checkLifetimes();
        return report();
    }

    private int length(int e) {
        return p.streamStart[e + 1] - p.streamStart[e];
    }

    private void loadData() {
        List<DramTensor> tensors = p.program.dramTensors();
        for (int b = 0; b < p.dramTensors; b++) {
            DramTensor t = tensors.get(b);
            boolean given = t.role() == DramTensor.Role.INPUT || t.role() == DramTensor.Role.WEIGHT;
            if (given) {
                written.add(b, 0, p.partitions[b], 0, p.elementsPerPartition[b]);
            }
            if (kernels == null) {
                continue;
            }
            float[] values = options.data().get(t.name());
            if (given && values == null) {
                throw new MachineCheckException(Kind.MISSING_DATA, "no data for " + t.role().name().toLowerCase(Locale.ROOT)
                        + " tensor '" + t.name() + "' " + t.shape(), List.of());
            }
            if (values != null) {
                if (values.length != t.elements()) {
                    throw new MachineCheckException(Kind.MISSING_DATA, "data for '" + t.name() + "' has " + values.length
                            + " values; its shape " + t.shape() + " holds " + t.elements(), List.of());
                }
                float[] data = kernels.data(b);
                for (int i = 0; i < values.length; i++) {
                    data[i] = t.dtype().round(values[i]);
                }
            }
        }
        Set<String> names = new HashSet<>();
        tensors.forEach(t -> names.add(t.name()));
        for (String name : options.data().keySet()) {
            if (!names.contains(name)) {
                throw new MachineCheckException(Kind.MISSING_DATA, "data given for '" + name
                        + "', which is not a DRAM tensor of program " + p.program.name(), List.of());
            }
        }
    }

    /**
     * Runs stream e from its next instruction until it ends or blocks (a wait not yet satisfied, a
     * read of a region nothing has written yet). The engine's time, busy time and position are kept
     * in locals and stored when it stops; no check reads the engine's own entry of its clock (signals
     * and boundaries store the instruction index themselves), so it too is stored when it stops.
     */
    private void runUntilBlocked(int e) {
        int base = p.streamStart[e];
        int end = p.streamStart[e + 1];
        int[] mine = clock[e];
        int[] step = p.step;
        double[] cost = p.costNs;
        List<Instruction> code = p.code.get(e);
        double now = time[e];
        double busyNs = busy[e];
        int g = base + pc[e];
        for (; g < end; g++) {
            int i = g - base;
            int at = g * FlatProgram.STEP;
            int kind = step[at + FlatProgram.KIND];
            if (kind == FlatProgram.WAIT) {
                int sem = step[at + FlatProgram.READ0];
                int count = step[at + FlatProgram.READ1];
                if (signalCount[sem] < count) {
                    break;
                }
                int[] signalled = signalClocks[sem];
                int from = (count - 1) * engines;
                for (int f = 0; f < engines; f++) {
                    // Also on the engine's own entry, which is stale while it runs and stored when it stops.
                    mine[f] = Math.max(mine[f], signalled[from + f]);
                }
                now = Math.max(now, signalTimes[sem][count - 1]);
            } else if (kind == FlatProgram.SIGNAL) {
                int sem = step[at + FlatProgram.READ0];
                int n = signalCount[sem];
                int[] signalled = signalClocks[sem];
                int to = n * engines;
                // A handful of ints: a loop, not a call of the copy stub.
                for (int f = 0; f < engines; f++) {
                    signalled[to + f] = mine[f];
                }
                signalled[to + e] = i + 1;
                signalTimes[sem][n] = now;
                signalCount[sem] = n + 1;
            } else {
                if (!readsWritten(at)) {
                    break;
                }
                access(g, e, i, mine);
                if (kernels != null) {
                    kernels.execute(g, code.get(i));
                }
                account(g, kind);
                int w = step[at + FlatProgram.WRITE];
                if ((operandWritten[w] & ADDED) == 0) {
                    written.add(p.opBuffer(w), p.opP0(w), p.opP1(w), p.opLo(w), p.opHi(w));
                    operandWritten[w] = KNOWN_WRITTEN | ADDED;
                }
            }
            double c = cost[g];
            int boundary = step[at + FlatProgram.BOUNDARY];
            if (boundary != FlatProgram.NONE) {
                int to = boundary * engines;
                for (int f = 0; f < engines; f++) {
                    boundaryClock[to + f] = mine[f];
                }
                boundaryClock[to + e] = i;
                for (int a = p.firstStarting[boundary]; a != FlatProgram.NONE; a = p.nextStarting[a]) {
                    liveFrom[a] = now;
                }
                endLifetimes(boundary, now + c);
            }
            now += c;
            busyNs += c;
        }
        time[e] = now;
        busy[e] = busyNs;
        pc[e] = g - base;
        mine[e] = g - base;
    }

    /** Whether every region the step at {@code at} in the step table reads has been written. */
    private boolean readsWritten(int at) {
        int[] step = p.step;
        return covered(step[at + FlatProgram.READ0]) && covered(step[at + FlatProgram.READ1]) && covered(step[at + FlatProgram.READ2]);
    }

    private boolean covered(int o) {
        if (o == FlatProgram.NONE || (operandWritten[o] & KNOWN_WRITTEN) != 0) {
            return true;
        }
        if (written.covers(p.opBuffer(o), p.opP0(o), p.opP1(o), p.opLo(o), p.opHi(o))) {
            operandWritten[o] |= KNOWN_WRITTEN;
            return true;
        }
        return false;
    }

    /**
     * Race and lifetime checks of every operand, each recorded as soon as it is checked: recording an
     * access only drops accesses ordered before it and adds one of its own engine, neither of which
     * a later operand of the same instruction can race with, so the checks find what they would find
     * with all operands checked first.
     */
    private void access(int g, int e, int i, int[] mine) {
        access(p.read0(g), false, g, e, i, mine);
        access(p.read1(g), false, g, e, i, mine);
        access(p.read2(g), false, g, e, i, mine);
        access(p.write(g), true, g, e, i, mine);
    }

    /**
     * One pass over the buffer's logged accesses: a race is an access of another engine, not ordered
     * before this one, overlapping it, one of the two a write; an access this one supersedes (ordered
     * before it and inside its region: a write covers any such access, a read covers earlier reads of
     * its own engine) is dropped in place. Then the lifetime checks, and the access is logged.
     */
    private void access(int o, boolean write, int g, int e, int i, int[] mine) {
        if (o == FlatProgram.NONE) {
            return;
        }
        int b = p.opBuffer(o);
        int prev = AccessLog.NONE;
        int n = accesses.first(b);
        // A superseded last entry is not dropped but overwritten with this access at the end:
        // dropping it and appending this one would leave the same order (most accesses find their
        // own engine's previous access to the same tile there).
        int reuse = AccessLog.NONE;
        while (n != AccessLog.NONE) {
            int following = accesses.next(n);
            int f = accesses.stream(n);
            int index = accesses.index(n);
            boolean otherWrote = accesses.write(n);
            boolean superseded;
            if (f == e) {
                superseded = (write || !otherWrote) && p.contains(o, accesses.operand(n));
            } else if (mine[f] > index) {
                superseded = write && p.contains(o, accesses.operand(n));
            } else {
                if ((otherWrote || write) && p.overlaps(o, accesses.operand(n))) {
                    throw race(o, write, g, f, n);
                }
                superseded = false;
            }
            if (superseded && following == AccessLog.NONE) {
                reuse = n;
            } else if (superseded) {
                accesses.remove(b, prev, n);
            } else {
                prev = n;
            }
            n = following;
        }
        int f = p.opLifetimeStream(o);
        if (f >= 0) {
            if (buffer[b * stride + ENDED] != 0) {
                throw ended(g, b);
            }
            int firstIndex = p.opLifetimeIndex(o);
            boolean ordered = f == e ? firstIndex <= i : mine[f] > firstIndex;
            if (!ordered) {
                throw notStarted(g, b);
            }
            buffer[b * stride + LAST_ACCESS + e] = i;
        }
        if (reuse != AccessLog.NONE) {
            accesses.replace(reuse, e, i, o, write);
        } else {
            accesses.append(b, e, i, o, write);
        }
        if (accesses.size(b) > accesses.pruneAt(b)) {
            prune(b);
            accesses.pruneAt(b, Math.max(32, 2 * accesses.size(b)));
        }
    }

    private MachineCheckException race(int o, boolean write, int g, int f, int n) {
        int b = p.opBuffer(o);
        boolean otherWrote = accesses.write(n);
        int other = p.streamStart[f] + accesses.index(n);
        String kind = otherWrote ? (write ? "both write" : "it reads what the other writes") : "it writes what the other reads";
        return new MachineCheckException(Kind.RACE, p.where(g) + " and " + p.where(other) + " access " + p.describe(b)
                + " (" + p.box(o) + " and " + p.box(accesses.operand(n)) + "); " + kind + ", and no semaphore orders them",
                List.of(p.ref(g), p.ref(other)));
    }

    private MachineCheckException ended(int g, int b) {
        Allocation a = p.allocation(b);
        return new MachineCheckException(Kind.LIFETIME, p.where(g) + " accesses " + p.describe(b)
                + " after its lifetime ended at " + a.lastUse(), List.of(p.ref(g), a.lastUse()));
    }

    private MachineCheckException notStarted(int g, int b) {
        InstructionRef start = p.allocation(b).firstUse();
        return new MachineCheckException(Kind.LIFETIME, p.where(g) + " accesses " + p.describe(b)
                + ", whose lifetime starts at " + start + ", which is not ordered before it", List.of(p.ref(g), start));
    }

    /** Drops the accesses ordered before everything any engine still runs: no future access can race with them. */
    private void prune(int b) {
        int prev = AccessLog.NONE;
        int n = accesses.first(b);
        while (n != AccessLog.NONE) {
            int following = accesses.next(n);
            if (knownToAll(accesses.stream(n), accesses.index(n))) {
                accesses.remove(b, prev, n);
            } else {
                prev = n;
            }
            n = following;
        }
    }

    private boolean knownToAll(int f, int index) {
        for (int g = 0; g < engines; g++) {
            if (!finished[g] && g != f && clock[g][f] <= index) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ends the lifetimes that end at this boundary, and checks that every access to them so far is
     * ordered at or before it. No later access can change that: an access after the end fails at
     * once. So the check the run makes when it is over ({@link #checkLifetimes}) only has to report
     * the first allocation, in declaration order, found late here.
     */
    private void endLifetimes(int boundary, double end) {
        for (int b = p.firstEnding[boundary]; b != FlatProgram.NONE; b = p.nextEnding[b]) {
            int a = b - p.dramTensors;
            lastUseEnd[a] = end;
            if (a < lateAllocation && lateEngine(a) >= 0) {
                lateAllocation = a;
            }
            buffer[b * stride + ENDED] = 1;
            accesses.clear(b);
            if (kernels != null) {
                kernels.release(b);
            }
        }
    }

    /**
     * Counts what depends on the order of execution: PSUM evictions (a read of a matmul result no
     * eviction has read yet) and on-chip copies by engines. DMA traffic and MACs depend on each
     * instruction alone and were counted when the program was prepared.
     */
    private void account(int g, int kind) {
        int w = p.write(g);
        if (kind == FlatProgram.DMA) {
            return;
        }
        if (kind == FlatProgram.MATMUL) {
            awaitingEviction.add(p.opBuffer(w), p.opP0(w), p.opP1(w), p.opLo(w), p.opHi(w));
            return;
        }
        boolean evicts = evicts(p.read0(g)) | evicts(p.read1(g)) | evicts(p.read2(g));
        if (evicts && !p.psum[p.opBuffer(w)]) {
            evictionCount++;
            evictionBytes += p.opBytes(w);
        } else if (kind == FlatProgram.COPY || kind == FlatProgram.MOVE) {
            onChipCount++;
            onChipBytes += p.opBytes(w);
        }
    }

    /** Whether reading operand o reads a matmul result no eviction has read yet; if so, that part is evicted now. */
    private boolean evicts(int o) {
        if (o == FlatProgram.NONE) {
            return false;
        }
        int b = p.opBuffer(o);
        if (!p.psum[b] || awaitingEviction.isEmpty(b) || !awaitingEviction.overlaps(b, p.opP0(o), p.opP1(o), p.opLo(o), p.opHi(o))) {
            return false;
        }
        awaitingEviction.cut(b, p.opP0(o), p.opP1(o), p.opLo(o), p.opHi(o));
        return true;
    }

    private MachineCheckException stuck() {
        for (int e = 0; e < engines; e++) {
            if (finished[e]) {
                continue;
            }
            int g = p.streamStart[e] + pc[e];
            if (p.kind(g) != FlatProgram.WAIT) {
                for (int o : new int[] {p.read0(g), p.read1(g), p.read2(g)}) {
                    if (!covered(o)) {
                        int b = p.opBuffer(o);
                        return new MachineCheckException(Kind.UNINITIALIZED_READ, p.where(g) + " reads " + p.pattern(o).text()
                                + " of " + p.describe(b) + ", but no instruction writes all of "
                                + p.box(o) + " (a missing load or store, or a wait on the wrong semaphore)", List.of(p.ref(g)));
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("no engine can proceed:");
        List<InstructionRef> refs = new ArrayList<>();
        for (int e = 0; e < engines; e++) {
            if (!finished[e]) {
                int g = p.streamStart[e] + pc[e];
                int sem = p.read0(g);
                sb.append(' ').append(p.where(g)).append(" waits for ").append(p.program.semaphores().get(sem)).append(" >= ")
                        .append(p.read1(g)).append(", which is signalled ").append(signalCount[sem]).append(" times;");
                refs.add(p.ref(g));
            }
        }
        sb.setLength(sb.length() - 1);
        return new MachineCheckException(Kind.DEADLOCK, sb.toString(), refs);
    }

    /**
     * Every access to an allocation is ordered at or before its last use (checked as each lifetime
     * ends, {@link #endLifetimes}; reported here, once every stream has run, as a run without the
     * early check would), and allocations sharing bytes are live one after the other: one's last use
     * is ordered at or before the other's first.
     */
    private void checkLifetimes() {
        if (lateAllocation != Integer.MAX_VALUE) {
            int a = lateAllocation;
            int g = lateEngine(a);
            Allocation al = p.allocation(p.dramTensors + a);
            InstructionRef late = new InstructionRef(p.engineOf[g], buffer[(p.dramTensors + a) * stride + LAST_ACCESS + g]);
            throw new MachineCheckException(Kind.LIFETIME, late + " (" + p.program.instruction(late).text() + ") accesses "
                    + p.describe(p.dramTensors + a) + ", but is not ordered before the end of its lifetime at "
                    + al.lastUse(), List.of(late, al.lastUse()));
        }
        checkSharedBytes();
    }

    /** The first engine with an access to allocation a not ordered at or before a's last use, or -1. */
    private int lateEngine(int a) {
        int f = p.lastUseStream[a];
        int lastIndex = p.lastUse[a] - p.streamStart[f];
        int clockAt = p.lastUseBoundary[a] * engines;
        int at = (p.dramTensors + a) * stride + LAST_ACCESS;
        for (int g = 0; g < engines; g++) {
            int index = buffer[at + g];
            if (index >= 0 && !(g == f ? index <= lastIndex : boundaryClock[clockAt + g] > index)) {
                return g;
            }
        }
        return -1;
    }

    /**
     * Allocations sharing bytes must be live one after the other. Rather than every pair, each
     * allocation (in order of its first use's start time) is checked against the allocations that
     * last held each of its bytes: a {@link Painting} of each memory space. Ordering is transitive,
     * so an older owner the last one replaced is ordered before the new one too.
     */
    private void checkSharedBytes() {
        byStart = TimeOrder.sorted(liveFrom, p.byFirstUse);
        Painting sbuf = new Painting();
        Painting psum = new Painting();
        Painting.Overlap check = this::sharedBytes;
        for (int a : byStart) {
            int r0 = p.partitionStart[a];
            long rlo = p.byteOffset[a];
            Painting owners = p.psum[p.dramTensors + a] ? psum : sbuf;
            owners.paint(r0, r0 + p.partitions[p.dramTensors + a], rlo, rlo + p.bytesPerPartition[a], a, check);
        }
    }

    /** Allocations {@code owner} and {@code a} share bytes: one must be live after the other. */
    private void sharedBytes(int owner, int a) {
        if (!liveOneAfterTheOther(owner, a) && !liveOneAfterTheOther(a, owner)) {
            Allocation o = p.allocation(p.dramTensors + owner);
            Allocation b = p.allocation(p.dramTensors + a);
            throw new MachineCheckException(Kind.LIFETIME, "allocations '" + o.name() + "' and '" + b.name()
                    + "' share " + o.space() + " bytes and are live at the same time: neither's last use ("
                    + o.lastUse() + ", " + b.lastUse() + ") is ordered before the other's first use ("
                    + b.firstUse() + ", " + o.firstUse() + ")", List.of(o.lastUse(), b.firstUse()));
        }
    }

    private boolean liveOneAfterTheOther(int earlier, int later) {
        int g = p.lastUseStream[earlier];
        int index = p.lastUse[earlier] - p.streamStart[g];
        int f = p.firstUseStream[later];
        return g == f ? index <= p.firstUse[later] - p.streamStart[f] : boundaryClock[p.firstUseBoundary[later] * engines + g] > index;
    }

    private ExecutionReport report() {
        double total = 0;
        List<ExecutionReport.EngineUsage> usage = new ArrayList<>();
        Integer[] order = new Integer[engines];
        for (int e = 0; e < engines; e++) {
            total = Math.max(total, time[e]);
            order[e] = e;
        }
        Arrays.sort(order, Comparator.comparing(e -> p.engineOf[e]));
        for (int e : order) {
            usage.add(new ExecutionReport.EngineUsage(p.engineOf[e], length(e), busy[e]));
        }
        List<ExecutionReport.DmaTraffic> dma = new ArrayList<>();
        long offCount = 0;
        long offBytes = 0;
        for (ExecutionReport.Direction d : ExecutionReport.Direction.values()) {
            dma.add(new ExecutionReport.DmaTraffic(d, p.dmaCount[d.ordinal()], p.dmaBytes[d.ordinal()]));
            if (d.offChip()) {
                offCount += p.dmaCount[d.ordinal()];
                offBytes += p.dmaBytes[d.ordinal()];
            }
        }
        long[] peaks = peaks();
        Map<String, float[]> outputs = new LinkedHashMap<>();
        if (kernels != null) {
            for (int b = 0; b < p.dramTensors; b++) {
                DramTensor t = p.program.dramTensors().get(b);
                if (t.role() == DramTensor.Role.OUTPUT) {
                    outputs.put(t.name(), kernels.data(b).clone());
                }
            }
        }
        return new ExecutionReport(p.program.name(), spec.name(), options.functional(), spec.referenceClock(), total, usage, dma,
                new ExecutionReport.Traffic(offCount, offBytes), new ExecutionReport.Traffic(onChipCount, onChipBytes),
                new ExecutionReport.Traffic(evictionCount, evictionBytes), p.macs,
                new ExecutionReport.Occupancy(peaks[0], spec.sbuf().capacityBytes()),
                new ExecutionReport.Occupancy(peaks[1], spec.psum().capacityBytes()),
                timeline(order), outputs);
    }

    /**
     * The most bytes live at once, in SBUF ({@code [0]}) and in PSUM ({@code [1]}): an allocation is
     * live from its first use's start to its last use's end. One sweep over the ends in time order,
     * each space taking its starts in time order as they come; at equal times ends come first, so a
     * buffer reused at the instant another dies is not counted with it. Both orders are total (time,
     * then allocation), so each space sees its own allocations in the order a sweep over that space
     * alone would.
     */
    private long[] peaks() {
        int n = byStart.length;
        double[] end = new double[n];
        for (int a = 0; a < n; a++) {
            end[a] = Math.max(liveFrom[a], lastUseEnd[a]);
        }
        int[] nextStart = new int[2];
        long[] live = new long[2];
        long[] peak = new long[2];
        for (int a : TimeOrder.sorted(end, p.byLastUse)) {
            int space = space(a);
            int k = nextStart[space];
            for (; k < n; k++) {
                int s = byStart[k];
                if (space(s) != space) {
                    continue;
                }
                if (!(liveFrom[s] < end[a])) {
                    break;
                }
                live[space] += p.bytes[s];
                peak[space] = Math.max(peak[space], live[space]);
            }
            nextStart[space] = k;
            live[space] -= p.bytes[a];
        }
        // Starts left are at the time of the last end, after it: they only bring live back up to 0.
        return peak;
    }

    /** 1 for an allocation in PSUM, 0 for one in SBUF: its entry in {@link #peaks}. */
    private int space(int a) {
        return p.psum[p.dramTensors + a] ? 1 : 0;
    }

    /**
     * The timeline, made when first read: a run does not note when each instruction started, since
     * that follows from what it keeps (the time of every signal): each stream starts at 0, a wait
     * moves its time up to the signal it waited for, and every instruction lasts its cost. Replaying
     * that gives the very times the run had, the same additions in the same order.
     */
    private List<ExecutionReport.TimelineEntry> timeline(Integer[] order) {
        int[] offsets = new int[engines + 1];
        for (int k = 0; k < engines; k++) {
            offsets[k + 1] = offsets[k] + length(order[k]);
        }
        return new AbstractList<>() {
            private double[] startNs;

            @Override
            public ExecutionReport.TimelineEntry get(int index) {
                if (index < 0 || index >= size()) {
                    throw new IndexOutOfBoundsException(index);
                }
                double[] start = starts();
                int k = 0;
                while (offsets[k + 1] <= index) {
                    k++;
                }
                int e = order[k];
                int i = index - offsets[k];
                int g = p.streamStart[e] + i;
                return new ExecutionReport.TimelineEntry(p.engineOf[e], i, start[g], start[g] + p.costNs[g],
                        p.code.get(e).get(i).text());
            }

            @Override
            public int size() {
                return offsets[engines];
            }

            private synchronized double[] starts() {
                if (startNs == null) {
                    startNs = replayStarts();
                }
                return startNs;
            }
        };
    }

    /** When each step started, replayed from the signal times (see {@link #timeline}). */
    private double[] replayStarts() {
        double[] start = new double[p.steps()];
        int[] step = p.step;
        for (int e = 0; e < engines; e++) {
            double now = 0;
            for (int g = p.streamStart[e]; g < p.streamStart[e + 1]; g++) {
                int at = g * FlatProgram.STEP;
                if (step[at + FlatProgram.KIND] == FlatProgram.WAIT) {
                    now = Math.max(now, signalTimes[step[at + FlatProgram.READ0]][step[at + FlatProgram.READ1] - 1]);
                }
                start[g] = now;
                now += p.costNs[g];
            }
        }
        return start;
    }
}
