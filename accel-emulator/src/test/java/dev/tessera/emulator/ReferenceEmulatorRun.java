package dev.tessera.emulator;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.Allocation;
import dev.tessera.emulator.program.DramTensor;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Stream;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator as it was before programs were flattened into primitive arrays (one object per
 * instruction, operand and access), kept in the tests as an independent oracle: the flat
 * {@link EmulatorRun} must give the same reports and the same check failures. Ordering is tracked with vector clocks: {@code clock[e][f]} is how
 * many instructions of engine f are known to have finished before engine e's next instruction (by
 * stream order and the semaphores waited on). An access by engine e is ordered after instruction i of
 * engine f iff {@code f == e} or {@code clock[e][f] > i}. Instructions are processed in an order
 * consistent with that relation (each stream in order, waits after their signals); a read of a
 * region not yet written holds its stream back until a writer comes — ordered (fine) or not (a
 * race) — or nothing else can run (a read of never-written memory).
 */
final class ReferenceEmulatorRun {
    private final MachineProgram program;
    private final AcceleratorSpec spec;
    private final Emulator.Options options;
    private final Map<String, ReferenceBufferState> buffers = new LinkedHashMap<>();
    private final Map<String, Integer> semaphoreIds = new HashMap<>();
    private final int engines;
    private final Engine[] engineOf;
    private final ReferenceStep[][] steps;
    private final int[] pc;
    private final double[] time;
    private final double[] busy;
    private final int[][] clock;
    private final double[][] startNs;
    private final double[][] endNs;
    private final boolean[] finished;
    // semaphores: the clock and time of each signal, in order; the clock of signal n (from 0) of
    // semaphore s is signalClocks[s][n * engines .. (n + 1) * engines), flat to keep one array per semaphore
    private final int[][] signalClocks;
    private final double[][] signalTimes;
    private final int[] signalCount;

    private final long[] dmaCount = new long[ExecutionReport.Direction.values().length];
    private final long[] dmaBytes = new long[ExecutionReport.Direction.values().length];
    private long onChipCount;
    private long onChipBytes;
    private long evictionCount;
    private long evictionBytes;
    private long macs;

    ReferenceEmulatorRun(MachineProgram program, AcceleratorSpec spec, Emulator.Options options) {
        this.program = program;
        this.spec = spec;
        this.options = options;
        List<Stream> streams = program.streams();
        this.engines = streams.size();
        for (DramTensor t : program.dramTensors()) {
            buffers.put(t.name(), new ReferenceBufferState(t));
        }
        for (Allocation a : program.allocations()) {
            buffers.put(a.name(), new ReferenceBufferState(a, engines));
        }
        for (String s : program.semaphores()) {
            semaphoreIds.put(s, semaphoreIds.size());
        }
        int semaphores = semaphoreIds.size();
        this.signalCount = new int[semaphores];
        this.signalClocks = new int[semaphores][4 * engines];
        this.signalTimes = new double[semaphores][4];
        ReferenceStepPlanner planner = new ReferenceStepPlanner(program, spec, buffers, semaphoreIds);
        planner.checkBuffers();
        engineOf = new Engine[engines];
        steps = new ReferenceStep[engines][];
        startNs = new double[engines][];
        endNs = new double[engines][];
        Map<Engine, Integer> index = new HashMap<>();
        for (int e = 0; e < engines; e++) {
            engineOf[e] = streams.get(e).engine();
            index.put(engineOf[e], e);
            steps[e] = planner.plan(streams.get(e), e);
            startNs[e] = new double[steps[e].length];
            endNs[e] = new double[steps[e].length];
        }
        for (ReferenceBufferState b : buffers.values()) {
            if (b.allocation == null) {
                continue;
            }
            Allocation a = b.allocation;
            b.firstUseEngine = index.get(a.firstUse().engine());
            b.firstUse = steps[b.firstUseEngine][a.firstUse().index()];
            b.lastUse = steps[index.get(a.lastUse().engine())][a.lastUse().index()];
            b.firstUse.lifetimeBoundary = true;
            b.lastUse.lifetimeBoundary = true;
            b.lastUse.endsLifetimeOf(b);
        }
        pc = new int[engines];
        time = new double[engines];
        busy = new double[engines];
        clock = new int[engines][engines];
        finished = new boolean[engines];
    }

    /** What {@link Emulator#run} gives, computed the old way. */
    static ExecutionReport run(MachineProgram program, AcceleratorSpec spec, Emulator.Options options) {
        return new ReferenceEmulatorRun(program, spec, options).execute();
    }

    ExecutionReport execute() {
        loadData();
        int done = 0;
        for (int e = 0; e < engines; e++) {
            if (steps[e].length == 0) {
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
                if (pc[e] == steps[e].length) {
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

    private void loadData() {
        for (DramTensor t : program.dramTensors()) {
            ReferenceBufferState b = buffers.get(t.name());
            boolean given = t.role() == DramTensor.Role.INPUT || t.role() == DramTensor.Role.WEIGHT;
            if (given) {
                b.written.add(b.whole());
            }
            if (!options.functional()) {
                continue;
            }
            float[] values = options.data().get(t.name());
            if (given && values == null) {
                throw new MachineCheckException(Kind.MISSING_DATA, "no data for " + t.role().name().toLowerCase(java.util.Locale.ROOT)
                        + " tensor '" + t.name() + "' " + t.shape(), List.of());
            }
            if (values != null) {
                if (values.length != t.elements()) {
                    throw new MachineCheckException(Kind.MISSING_DATA, "data for '" + t.name() + "' has " + values.length
                            + " values; its shape " + t.shape() + " holds " + t.elements(), List.of());
                }
                float[] data = b.data();
                for (int i = 0; i < values.length; i++) {
                    data[i] = t.dtype().round(values[i]);
                }
            }
        }
        for (String name : options.data().keySet()) {
            ReferenceBufferState b = buffers.get(name);
            if (b == null || b.tensor == null) {
                throw new MachineCheckException(Kind.MISSING_DATA, "data given for '" + name
                        + "', which is not a DRAM tensor of program " + program.name(), List.of());
            }
        }
    }

    private void runUntilBlocked(int e) {
        ReferenceStep[] code = steps[e];
        int[] mine = clock[e];
        while (pc[e] < code.length) {
            int i = pc[e];
            ReferenceStep s = code[i];
            if (s.kind == ReferenceStep.Kind.WAIT) {
                if (signalCount[s.semaphore] < s.count) {
                    return;
                }
                int[] signalled = signalClocks[s.semaphore];
                int at = (s.count - 1) * engines;
                for (int f = 0; f < engines; f++) {
                    if (f != e && signalled[at + f] > mine[f]) {
                        mine[f] = signalled[at + f];
                    }
                }
                time[e] = Math.max(time[e], signalTimes[s.semaphore][s.count - 1]);
            } else if (s.kind == ReferenceStep.Kind.SIGNAL) {
                int sem = s.semaphore;
                int n = signalCount[sem];
                if (n == signalTimes[sem].length) {
                    signalTimes[sem] = Arrays.copyOf(signalTimes[sem], 2 * n);
                    signalClocks[sem] = Arrays.copyOf(signalClocks[sem], 2 * n * engines);
                }
                System.arraycopy(mine, 0, signalClocks[sem], n * engines, engines);
                signalClocks[sem][n * engines + e] = i + 1;
                signalTimes[sem][n] = time[e];
                signalCount[sem] = n + 1;
            } else {
                if (!readsWritten(s)) {
                    return;
                }
                access(s, e, i, mine);
                if (options.functional()) {
                    ReferenceKernels.execute(s);
                }
                account(s);
                s.write.box().addTo(s.write.buffer().written);
            }
            if (s.lifetimeBoundary) {
                s.clock = mine.clone();
                s.clock[e] = i;
                endLifetimes(s);
            }
            startNs[e][i] = time[e];
            time[e] += s.costNs;
            endNs[e][i] = time[e];
            busy[e] += s.costNs;
            pc[e] = i + 1;
            mine[e] = i + 1;
        }
    }

    private boolean readsWritten(ReferenceStep s) {
        for (ReferenceStep.Operand r : s.reads) {
            if (!r.box().coveredBy(r.buffer().written)) {
                return false;
            }
        }
        return true;
    }

    /** Lifetime and race checks of every operand, then the accesses are recorded. */
    private void access(ReferenceStep s, int e, int i, int[] mine) {
        for (ReferenceStep.Operand r : s.reads) {
            check(r, false, s, e, i, mine);
        }
        check(s.write, true, s, e, i, mine);
        for (ReferenceStep.Operand r : s.reads) {
            record(r, false, e, i, mine);
        }
        record(s.write, true, e, i, mine);
    }

    private void check(ReferenceStep.Operand op, boolean write, ReferenceStep s, int e, int i, int[] mine) {
        ReferenceBufferState b = op.buffer();
        for (ReferenceBufferState.Access a : b.accesses) {
            if (a.engine() != e && (a.write() || write) && mine[a.engine()] <= a.index() && a.box().overlaps(op.box())) {
                ReferenceStep other = steps[a.engine()][a.index()];
                String kind = a.write() ? (write ? "both write" : "it reads what the other writes")
                        : "it writes what the other reads";
                throw new MachineCheckException(Kind.RACE, s.where() + " and " + other.where() + " access " + b.describe()
                        + " (" + op.box() + " and " + a.box() + "); " + kind + ", and no semaphore orders them",
                        List.of(s.ref(), other.ref()));
            }
        }
        if (b.allocation != null) {
            if (b.ended) {
                throw new MachineCheckException(Kind.LIFETIME, s.where() + " accesses " + b.describe()
                        + " after its lifetime ended at " + b.allocation.lastUse(), List.of(s.ref(), b.allocation.lastUse()));
            }
            InstructionRef first = b.allocation.firstUse();
            int f = b.firstUseEngine;
            boolean ordered = f == e ? first.index() <= i : mine[f] > first.index();
            if (!ordered) {
                throw new MachineCheckException(Kind.LIFETIME, s.where() + " accesses " + b.describe()
                        + ", whose lifetime starts at " + first + ", which is not ordered before it", List.of(s.ref(), first));
            }
            b.lastAccess[e] = i;
        }
    }

    private void record(ReferenceStep.Operand op, boolean write, int e, int i, int[] mine) {
        List<ReferenceBufferState.Access> list = op.buffer().accesses;
        ReferenceBox box = op.box();
        // Accesses this one supersedes: ordered before it and inside its region (a write covers any
        // such access; a read covers earlier reads of its own engine). Removed in one pass, in place.
        int kept = 0;
        for (int k = 0; k < list.size(); k++) {
            ReferenceBufferState.Access a = list.get(k);
            boolean superseded = box.contains(a.box()) && (write ? (a.engine() == e || mine[a.engine()] > a.index())
                    : (!a.write() && a.engine() == e));
            if (!superseded) {
                list.set(kept++, a);
            }
        }
        list.subList(kept, list.size()).clear();
        list.add(new ReferenceBufferState.Access(e, i, box, write));
        if (list.size() > op.buffer().pruneAt) {
            list.removeIf(this::knownToAll);
            op.buffer().pruneAt = Math.max(32, 2 * list.size());
        }
    }

    /** Ordered before everything any engine still runs: no future access can race with it. */
    private boolean knownToAll(ReferenceBufferState.Access a) {
        for (int g = 0; g < engines; g++) {
            if (!finished[g] && g != a.engine() && clock[g][a.engine()] <= a.index()) {
                return false;
            }
        }
        return true;
    }

    private static void endLifetimes(ReferenceStep s) {
        for (ReferenceBufferState b : s.ending) {
            b.ended = true;
            b.data = null;
            b.accesses.clear();
        }
    }

    private void account(ReferenceStep s) {
        macs += s.macs;
        if (s.kind == ReferenceStep.Kind.DMA) {
            dmaCount[s.direction.ordinal()]++;
            dmaBytes[s.direction.ordinal()] += s.writeBytes;
            if (!s.direction.offChip()) {
                onChipCount++;
                onChipBytes += s.writeBytes;
            }
            return;
        }
        if (s.kind == ReferenceStep.Kind.MATMUL) {
            s.write.box().addTo(s.write.buffer().awaitingEviction);
            return;
        }
        boolean evicts = false;
        for (ReferenceStep.Operand r : s.reads) {
            ReferenceBufferState b = r.buffer();
            if (b.psum && !b.awaitingEviction.isEmpty() && overlapsAny(r.box(), b.awaitingEviction)) {
                List<ReferenceBox> left = r.box().cutFrom(b.awaitingEviction);
                b.awaitingEviction.clear();
                b.awaitingEviction.addAll(left);
                evicts = true;
            }
        }
        if (evicts && !s.write.buffer().psum) {
            evictionCount++;
            evictionBytes += s.writeBytes;
        } else if (s.kind == ReferenceStep.Kind.COPY || (s.kind == ReferenceStep.Kind.ACTIVATION
                && ((dev.tessera.emulator.program.Instruction.Activation) s.instruction).isPlainMove())) {
            onChipCount++;
            onChipBytes += s.writeBytes;
        }
    }

    private static boolean overlapsAny(ReferenceBox box, List<ReferenceBox> boxes) {
        for (ReferenceBox b : boxes) {
            if (b.overlaps(box)) {
                return true;
            }
        }
        return false;
    }

    private MachineCheckException stuck() {
        for (int e = 0; e < engines; e++) {
            if (finished[e]) {
                continue;
            }
            ReferenceStep s = steps[e][pc[e]];
            if (s.kind != ReferenceStep.Kind.WAIT) {
                for (ReferenceStep.Operand r : s.reads) {
                    if (!r.box().coveredBy(r.buffer().written)) {
                        return new MachineCheckException(Kind.UNINITIALIZED_READ, s.where() + " reads " + r.pattern().text()
                                + " of " + r.buffer().describe() + ", but no instruction writes all of "
                                + r.box() + " (a missing load or store, or a wait on the wrong semaphore)", List.of(s.ref()));
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("no engine can proceed:");
        List<InstructionRef> refs = new ArrayList<>();
        for (int e = 0; e < engines; e++) {
            if (!finished[e]) {
                ReferenceStep s = steps[e][pc[e]];
                String sem = program.semaphores().get(s.semaphore);
                sb.append(' ').append(s.where()).append(" waits for ").append(sem).append(" >= ").append(s.count)
                        .append(", which is signalled ").append(signalCount[s.semaphore]).append(" times;");
                refs.add(s.ref());
            }
        }
        sb.setLength(sb.length() - 1);
        return new MachineCheckException(Kind.DEADLOCK, sb.toString(), refs);
    }

    /**
     * Every access to an allocation is ordered at or before its last use, and allocations sharing
     * bytes are live one after the other: one's last use is ordered at or before the other's first.
     */
    private void checkLifetimes() {
        for (ReferenceBufferState b : buffers.values()) {
            if (b.allocation == null) {
                continue;
            }
            InstructionRef last = b.allocation.lastUse();
            for (int g = 0; g < engines; g++) {
                int index = b.lastAccess[g];
                if (index >= 0 && !orderedAtOrBefore(g, index, b.lastUse)) {
                    InstructionRef late = new InstructionRef(engineOf[g], index);
                    throw new MachineCheckException(Kind.LIFETIME, late + " (" + program.instruction(late).text() + ") accesses "
                            + b.describe() + ", but is not ordered before the end of its lifetime at " + last,
                            List.of(late, last));
                }
            }
        }
        checkSharedBytes();
    }

    /**
     * Allocations sharing bytes must be live one after the other. Rather than every pair, each
     * allocation (in order of its first use's start time) is checked against the allocation that last
     * held each of its bytes: a map of the memory "painted" with owners. Ordering is transitive, so
     * an older owner the last one replaced is ordered before the new one too.
     */
    private void checkSharedBytes() {
        List<ReferenceBufferState> byStart = new ArrayList<>();
        for (ReferenceBufferState s : buffers.values()) {
            if (s.allocation != null) {
                byStart.add(s);
            }
        }
        byStart.sort(Comparator.comparingDouble(s -> startNs[s.firstUseEngine][s.firstUse.index]));
        Map<Allocation.Space, List<Painted>> painted = new LinkedHashMap<>();
        for (ReferenceBufferState state : byStart) {
            Allocation b = state.allocation;
            List<Painted> owners = painted.computeIfAbsent(b.space(), k -> new ArrayList<>());
            ReferenceBox rect = new ReferenceBox(b.partitionStart(), b.partitionStart() + b.partitions(), b.byteOffset(),
                    b.byteOffset() + b.bytesPerPartition());
            List<Painted> next = new ArrayList<>();
            for (Painted p : owners) {
                if (!p.rect().overlaps(rect)) {
                    next.add(p);
                    continue;
                }
                ReferenceBufferState owner = p.owner();
                Allocation a = owner.allocation;
                if (!liveOneAfterTheOther(owner, state) && !liveOneAfterTheOther(state, owner)) {
                    throw new MachineCheckException(Kind.LIFETIME, "allocations '" + a.name() + "' and '" + b.name()
                            + "' share " + a.space() + " bytes and are live at the same time: neither's last use ("
                            + a.lastUse() + ", " + b.lastUse() + ") is ordered before the other's first use ("
                            + b.firstUse() + ", " + a.firstUse() + ")", List.of(a.lastUse(), b.firstUse()));
                }
                List<ReferenceBox> left = new ArrayList<>();
                p.rect().subtract(rect, left);
                for (ReferenceBox l : left) {
                    next.add(new Painted(l, owner));
                }
            }
            next.add(new Painted(rect, state));
            painted.put(b.space(), next);
        }
    }

    private record Painted(ReferenceBox rect, ReferenceBufferState owner) {}

    private boolean liveOneAfterTheOther(ReferenceBufferState earlier, ReferenceBufferState later) {
        ReferenceStep last = earlier.lastUse;
        return orderedAtOrBefore(last.stream, last.index, later.firstUse);
    }

    /** Whether instruction {@code index} of stream {@code g} is ordered at or before lifetime boundary {@code y}. */
    private static boolean orderedAtOrBefore(int g, int index, ReferenceStep y) {
        return g == y.stream ? index <= y.index : y.clock[g] > index;
    }

    private ExecutionReport report() {
        double total = 0;
        List<ExecutionReport.EngineUsage> usage = new ArrayList<>();
        Integer[] order = new Integer[engines];
        for (int e = 0; e < engines; e++) {
            total = Math.max(total, time[e]);
            order[e] = e;
        }
        Arrays.sort(order, Comparator.comparing(e -> engineOf[e]));
        for (int e : order) {
            usage.add(new ExecutionReport.EngineUsage(engineOf[e], steps[e].length, busy[e]));
        }
        List<ExecutionReport.DmaTraffic> dma = new ArrayList<>();
        long offCount = 0;
        long offBytes = 0;
        for (ExecutionReport.Direction d : ExecutionReport.Direction.values()) {
            dma.add(new ExecutionReport.DmaTraffic(d, dmaCount[d.ordinal()], dmaBytes[d.ordinal()]));
            if (d.offChip()) {
                offCount += dmaCount[d.ordinal()];
                offBytes += dmaBytes[d.ordinal()];
            }
        }
        Map<String, float[]> outputs = new LinkedHashMap<>();
        if (options.functional()) {
            for (DramTensor t : program.dramTensors()) {
                if (t.role() == DramTensor.Role.OUTPUT) {
                    outputs.put(t.name(), buffers.get(t.name()).data().clone());
                }
            }
        }
        return new ExecutionReport(program.name(), spec.name(), options.functional(), spec.referenceClock(), total, usage, dma,
                new ExecutionReport.Traffic(offCount, offBytes), new ExecutionReport.Traffic(onChipCount, onChipBytes),
                new ExecutionReport.Traffic(evictionCount, evictionBytes), macs,
                new ExecutionReport.Occupancy(peak(Allocation.Space.SBUF), spec.sbuf().capacityBytes()),
                new ExecutionReport.Occupancy(peak(Allocation.Space.PSUM), spec.psum().capacityBytes()),
                timeline(order), outputs);
    }

    /** The most bytes live at once: an allocation is live from its first use's start to its last use's end. */
    private long peak(Allocation.Space space) {
        List<double[]> events = new ArrayList<>();
        for (ReferenceBufferState b : buffers.values()) {
            Allocation a = b.allocation;
            if (a == null || a.space() != space) {
                continue;
            }
            double from = startNs[b.firstUse.stream][b.firstUse.index];
            double to = Math.max(from, endNs[b.lastUse.stream][b.lastUse.index]);
            events.add(new double[] {from, 1, a.bytes()});
            events.add(new double[] {to, 0, -a.bytes()});
        }
        // At equal times, ends come before starts: a buffer reused at the instant another dies is not both.
        events.sort(Comparator.<double[]>comparingDouble(ev -> ev[0]).thenComparingDouble(ev -> ev[1]));
        long live = 0;
        long peak = 0;
        for (double[] ev : events) {
            live += (long) ev[2];
            peak = Math.max(peak, live);
        }
        return peak;
    }

    private List<ExecutionReport.TimelineEntry> timeline(Integer[] order) {
        int[] offsets = new int[engines + 1];
        for (int k = 0; k < engines; k++) {
            offsets[k + 1] = offsets[k] + steps[order[k]].length;
        }
        return new AbstractList<>() {
            @Override
            public ExecutionReport.TimelineEntry get(int index) {
                int k = 0;
                while (offsets[k + 1] <= index) {
                    k++;
                }
                int e = order[k];
                int i = index - offsets[k];
                return new ExecutionReport.TimelineEntry(engineOf[e], i, startNs[e][i], endNs[e][i],
                        steps[e][i].instruction.text());
            }

            @Override
            public int size() {
                return offsets[engines];
            }
        };
    }
}
