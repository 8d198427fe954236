package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What runs on one NeuronCore: the DRAM tensors, the SBUF and PSUM allocations with their
 * lifetimes, the semaphores, and one instruction stream per engine. Immutable; every name resolves
 * and every instruction sits on an engine that can run it (checked on construction). Whether the
 * program fits the hardware and is free of races is what {@code Emulator.run} checks.
 *
 * <p>Build one with {@link #builder(String)}, or from text with {@link ProgramText#parse(String)}.
 */
public final class MachineProgram {
    /** DRAM tensors are placed at multiples of this many bytes by {@link Builder#dram(String, StorageDtype, DramTensor.Role, int...)}. */
    public static final int DRAM_ALIGNMENT = 64;

    /** A string equal to no declared name and identical to none a caller passes in. */
    private static final String NO_NAME = new String("");

    private static String[] filled(String[] a, String value) {
        Arrays.fill(a, value);
        return a;
    }

    private final String name;
    private final List<DramTensor> dramTensors;
    private final List<Allocation> allocations;
    private final List<String> semaphores;
    private final List<Stream> streams;
    private final Map<String, DramTensor> dramByName = new HashMap<>();
    private final Map<String, Allocation> allocationByName = new HashMap<>();
    private final Map<Engine, Stream> streamByEngine = new HashMap<>();
    /** Final, so that it is safely published with the program (its arrays are written only here). */
    private final ProgramCode code;

    public MachineProgram(String name, List<DramTensor> dramTensors, List<Allocation> allocations,
            List<String> semaphores, List<Stream> streams) {
        this.name = Objects.requireNonNull(name);
        if (!ProgramText.isName(name)) {
            throw new InvalidProgramException("program name '" + name + "' must match " + ProgramText.NAME);
        }
        this.dramTensors = List.copyOf(dramTensors);
        this.allocations = List.copyOf(allocations);
        this.semaphores = List.copyOf(semaphores);
        this.streams = List.copyOf(streams);
        this.code = validate();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() { return name; }
    public List<DramTensor> dramTensors() { return dramTensors; }
    public List<Allocation> allocations() { return allocations; }
    public List<String> semaphores() { return semaphores; }
    public List<Stream> streams() { return streams; }

    public DramTensor dramTensor(String tensor) {
        DramTensor t = dramByName.get(tensor);
        if (t == null) {
            throw new InvalidProgramException("program " + name + " has no DRAM tensor '" + tensor + "'");
        }
        return t;
    }

    /** The allocation named, or null when the name is a DRAM tensor or unknown. */
    public Allocation allocationOrNull(String allocation) {
        return allocationByName.get(allocation);
    }

    public Instruction instruction(InstructionRef ref) {
        return streamByEngine.get(ref.engine()).instructions().get(ref.index());
    }

    /** Instructions in all streams. */
    public long instructionCount() {
        return streams.stream().mapToLong(s -> s.instructions().size()).sum();
    }

    /** Checks the program and returns its code, written while the names are resolved. */
    private ProgramCode validate() {
        // Buffer numbers by name: the DRAM tensors, then the allocations (ProgramCode's numbering).
        Map<String, Integer> buffers = new HashMap<>();
        for (DramTensor t : dramTensors) {
            requireName(t.name(), "DRAM tensor");
            if (buffers.putIfAbsent(t.name(), buffers.size()) != null) {
                throw new InvalidProgramException("buffer '" + t.name() + "' is declared twice");
            }
            dramByName.put(t.name(), t);
        }
        List<DramTensor> byAddress = new ArrayList<>(dramTensors);
        byAddress.sort(Comparator.comparingLong(DramTensor::address));
        for (int i = 1; i < byAddress.size(); i++) {
            DramTensor a = byAddress.get(i - 1);
            DramTensor b = byAddress.get(i);
            if (b.address() < a.end()) {
                throw new InvalidProgramException("DRAM tensors '" + a.name() + "' [" + a.address() + ", " + a.end()
                        + ") and '" + b.name() + "' [" + b.address() + ", " + b.end() + ") overlap");
            }
        }
        for (Allocation a : allocations) {
            requireName(a.name(), "allocation");
            if (buffers.putIfAbsent(a.name(), buffers.size()) != null) {
                throw new InvalidProgramException("buffer '" + a.name() + "' is declared twice");
            }
            if (a.space() == Allocation.Space.PSUM && a.dtype() != StorageDtype.FP32) {
                throw new InvalidProgramException("PSUM allocation '" + a.name() + "' must be fp32 (PSUM accumulates in fp32), got "
                        + a.dtype().text());
            }
            allocationByName.put(a.name(), a);
        }
        Map<String, Integer> semaphoreIds = new HashMap<>();
        for (String s : semaphores) {
            requireName(s, "semaphore");
            if (semaphoreIds.putIfAbsent(s, semaphoreIds.size()) != null) {
                throw new InvalidProgramException("semaphore '" + s + "' is declared twice");
            }
        }
        int[] lengths = new int[streams.size()];
        Map<Engine, Integer> streamIds = new HashMap<>();
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = streams.get(s).instructions().size();
        }
        Encoder encoder = new Encoder(new ProgramCode(dramTensors, allocations, lengths), buffers, semaphoreIds);
        for (int s = 0; s < lengths.length; s++) {
            Stream stream = streams.get(s);
            if (streamByEngine.put(stream.engine(), stream) != null) {
                throw new InvalidProgramException("engine " + stream.engine() + " has two streams");
            }
            streamIds.put(stream.engine(), s);
            List<Instruction> code = stream.instructions();
            for (int i = 0; i < code.size(); i++) {
                encoder.encode(code.get(i), stream.engine(), s, i);
            }
        }
        for (int k = 0; k < allocations.size(); k++) {
            Allocation a = allocations.get(k);
            int[] at = new int[4];
            InstructionRef[] refs = {a.firstUse(), a.lastUse()};
            for (int r = 0; r < 2; r++) {
                InstructionRef ref = refs[r];
                Integer s = streamIds.get(ref.engine());
                if (s == null || ref.index() >= lengths[s]) {
                    throw new InvalidProgramException("allocation '" + a.name() + "' lives from/to " + ref
                            + ", which is not an instruction of the program");
                }
                at[2 * r] = s;
                at[2 * r + 1] = ref.index();
            }
            encoder.code.lifetime(k, at[0], at[1], at[2], at[3]);
        }
        encoder.code.trim();
        return encoder.code;
    }

    private static void requireName(String n, String what) {
        if (n == null || !ProgramText.isName(n)) {
            throw new InvalidProgramException(what + " name '" + n + "' must match " + ProgramText.NAME);
        }
    }

    /**
     * Checks each instruction (its engine, semaphores, buffer names and spaces) and writes its record
     * into the {@link ProgramCode}, resolving each name once. Buffer names are tried by identity
     * against the last few looked up before the map: a code generator names a buffer with one string,
     * and consecutive instructions use few buffers. Messages name the instruction as
     * {@code engine:index (text)}; the text is built only when a check fails.
     */
    private final class Encoder {
        final ProgramCode code;
        private final Map<String, Integer> semaphoreIds;
        private final Map<String, Integer> bufferIds;
        /** Per semaphore, the stream that signals it, -1 for none yet. */
        private final int[] signaller;
        /** Per buffer, the pattern last used on it, or NONE. */
        private final int[] lastPattern;
        // Identity caches start on a string no caller holds, so that no name (null included) hits them unlooked-up.
        private final String[] recentNames = filled(new String[8], NO_NAME);
        private final int[] recentIds = new int[8];
        private int recentNext;
        private String lastSemaphore = NO_NAME;
        private int lastSemaphoreId;
        // The instruction being encoded, for messages.
        private Instruction ins;
        private Engine engine;
        private int index;

        Encoder(ProgramCode code, Map<String, Integer> bufferIds, Map<String, Integer> semaphoreIds) {
            this.code = code;
            this.bufferIds = bufferIds;
            this.semaphoreIds = semaphoreIds;
            this.signaller = new int[semaphoreIds.size()];
            Arrays.fill(signaller, -1);
            int buffers = dramTensors.size() + allocations.size();
            this.lastPattern = new int[buffers];
            Arrays.fill(lastPattern, ProgramCode.NONE);
        }

        private String where() {
            return engine.text() + ":" + index + " (" + ins.text() + ")";
        }

        void encode(Instruction ins, Engine engine, int s, int i) {
            this.ins = ins;
            this.engine = engine;
            this.index = i;
            if (!ins.runsOn(engine.kind())) {
                throw new InvalidProgramException(where() + ": engine " + engine + " cannot run this instruction");
            }
            int none = ProgramCode.NONE;
            if (ins instanceof Instruction.Wait w) {
                code.set(s, i, ProgramCode.WAIT, semaphore(w.semaphore()), w.count(), none, none);
                return;
            }
            if (ins instanceof Instruction.Signal sig) {
                int sem = semaphore(sig.semaphore());
                if (signaller[sem] >= 0 && signaller[sem] != s) {
                    throw new InvalidProgramException(where() + ": semaphore '" + sig.semaphore() + "' is already signalled by "
                            + streams.get(signaller[sem]).engine() + "; a semaphore has one signalling engine");
                }
                signaller[sem] = s;
                code.set(s, i, ProgramCode.SIGNAL, sem, none, none, none);
                return;
            }
            boolean dma = ins instanceof Instruction.Dma;
            // Operands are checked writes first, then reads in operand order.
            if (ins instanceof Instruction.Dma d) {
                int dst = operand(d.dst(), dma);
                int src = operand(d.src(), dma);
                if (code.bufferDtype(code.patternBuffer(dst)) != code.bufferDtype(code.patternBuffer(src))) {
                    throw new InvalidProgramException(where() + ": DMA does not convert: destination is "
                            + code.bufferDtype(code.patternBuffer(dst)).text() + ", source " + code.bufferDtype(code.patternBuffer(src)).text());
                }
                code.set(s, i, ProgramCode.DMA, src, none, none, dst);
            } else if (ins instanceof Instruction.Matmul m) {
                int dst = operand(m.dst(), dma);
                int stationary = operand(m.stationary(), dma);
                int moving = operand(m.moving(), dma);
                if (!code.bufferInPsum(code.patternBuffer(dst))) {
                    throw new InvalidProgramException(where() + ": a matmul writes PSUM, not " + m.dst().text());
                }
                for (int in : new int[] {stationary, moving}) {
                    if (code.bufferInPsum(code.patternBuffer(in))) {
                        throw new InvalidProgramException(where() + ": a matmul reads its inputs from SBUF, not " + code.pattern(in).text());
                    }
                }
                code.set(s, i, ProgramCode.MATMUL, stationary, moving, m.accumulate() ? dst : none, dst);
            } else if (ins instanceof Instruction.Binary b) {
                int dst = operand(b.dst(), dma);
                code.set(s, i, ProgramCode.BINARY, operand(b.a(), dma), operand(b.b(), dma), none, dst);
            } else if (ins instanceof Instruction.Unary u) {
                int dst = operand(u.dst(), dma);
                code.set(s, i, ProgramCode.UNARY, operand(u.src(), dma), none, none, dst);
            } else if (ins instanceof Instruction.Reduce r) {
                int dst = operand(r.dst(), dma);
                int src = operand(r.src(), dma);
                if (r.axes() < 1 || r.axes() > r.src().dims().size()) {
                    throw new InvalidProgramException(where() + ": reduce over " + r.axes() + " innermost dimensions, but the source has "
                            + r.src().dims().size());
                }
                code.set(s, i, ProgramCode.REDUCE | r.axes() << 8, src, none, none, dst);
            } else if (ins instanceof Instruction.Copy c) {
                int dst = operand(c.dst(), dma);
                code.set(s, i, ProgramCode.COPY, operand(c.src(), dma), none, none, dst);
            } else if (ins instanceof Instruction.Activation a) {
                int dst = operand(a.dst(), dma);
                code.set(s, i, a.isPlainMove() ? ProgramCode.MOVE : ProgramCode.ACTIVATION, operand(a.src(), dma), none, none, dst);
            } else {
                Instruction.Memset m = (Instruction.Memset) ins;
                code.set(s, i, ProgramCode.MEMSET, none, none, none, operand(m.dst(), dma));
            }
            AccessPattern written = code.pattern(code.field(s, i, ProgramCode.WRITE));
            if (written.repeatsElements()) {
                throw new InvalidProgramException(where() + ": destination " + written.text()
                        + " has stride 0 (only reads may repeat elements)");
            }
        }

        private int semaphore(String name) {
            if (name == lastSemaphore) {
                return lastSemaphoreId;
            }
            Integer id = semaphoreIds.get(name);
            if (id == null) {
                throw new InvalidProgramException(where() + ": semaphore '" + name + "' is not declared");
            }
            lastSemaphore = name;
            lastSemaphoreId = id;
            return id;
        }

        private int buffer(AccessPattern ap) {
            String name = ap.buffer();
            for (int k = 0; k < recentNames.length; k++) {
                if (recentNames[k] == name) {
                    return recentIds[k];
                }
            }
            Integer b = bufferIds.get(name);
            if (b == null) {
                throw new InvalidProgramException(where() + ": no buffer named '" + name + "'");
            }
            recentNames[recentNext] = name;
            recentIds[recentNext] = b;
            recentNext = (recentNext + 1) % recentNames.length;
            return b;
        }

        /** The pattern number of an operand of the instruction, after the checks of its buffer. */
        private int operand(AccessPattern ap, boolean dma) {
            int b = buffer(ap);
            boolean dram = b < dramTensors.size();
            int k = lastPattern[b];
            if (k == ProgramCode.NONE || !(code.pattern(k) == ap || code.pattern(k).equals(ap))) {
                if (ap.partitioned() == dram) {
                    throw new InvalidProgramException(where() + ": operand " + ap.text() + (!dram
                            ? " names an on-chip allocation and needs a partition range"
                            : " names a DRAM tensor, which has no partitions"));
                }
                k = code.addPattern(ap, b);
                lastPattern[b] = k;
            }
            if (dma && code.bufferInPsum(b)) {
                throw new InvalidProgramException(where() + ": DMA reaches DRAM and SBUF, not PSUM (" + ap.text() + ")");
            }
            if (!dma && dram) {
                throw new InvalidProgramException(where() + ": only DMA reaches DRAM (" + ap.text() + ")");
            }
            return k;
        }
    }

    /** The instructions as small integers (see {@link ProgramCode}), made when the program was constructed. */
    public ProgramCode code() {
        return code;
    }

    /** The dtype of the buffer an operand names. */
    public StorageDtype dtypeOf(AccessPattern ap) {
        Allocation a = allocationByName.get(ap.buffer());
        return a != null ? a.dtype() : dramTensor(ap.buffer()).dtype();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineProgram p && name.equals(p.name) && dramTensors.equals(p.dramTensors)
                && allocations.equals(p.allocations) && semaphores.equals(p.semaphores) && streams.equals(p.streams);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dramTensors, allocations, semaphores, streams);
    }

    @Override
    public String toString() {
        return ProgramText.print(this);
    }

    /**
     * Builds a program step by step, the way a code generator emits one: declare buffers and
     * semaphores, append instructions to engine streams (each append returns the instruction's
     * reference), give every allocation its lifetime, then {@link #build()}.
     */
    public static final class Builder {
        private final String name;
        private final List<DramTensor> dram = new ArrayList<>();
        private final Map<String, Allocation> allocations = new LinkedHashMap<>();
        private final Map<String, InstructionRef[]> lifetimes = new HashMap<>();
        private final List<String> semaphores = new ArrayList<>();
        private final Map<Engine, List<Instruction>> streams = new LinkedHashMap<>();
        private long nextDramAddress;

        private Builder(String name) {
            this.name = name;
        }

        /** A DRAM tensor at the next free {@link #DRAM_ALIGNMENT}-aligned address. */
        public Builder dram(String tensor, StorageDtype dtype, DramTensor.Role role, int... shape) {
            return dram(tensor, dtype, role, nextDramAddress, shape);
        }

        /** A DRAM tensor at an explicit byte address. */
        public Builder dram(String tensor, StorageDtype dtype, DramTensor.Role role, long address, int... shape) {
            DramTensor t = new DramTensor(tensor, dtype, Arrays.stream(shape).boxed().toList(), address, role);
            dram.add(t);
            long end = t.end();
            nextDramAddress = Math.max(nextDramAddress, (end + DRAM_ALIGNMENT - 1) / DRAM_ALIGNMENT * DRAM_ALIGNMENT);
            return this;
        }

        /** An SBUF allocation; {@code shape[0]} is its partition count. Give its lifetime with {@link #live}. */
        public Builder sbuf(String allocation, StorageDtype dtype, int partitionStart, long byteOffset, int... shape) {
            return onChip(allocation, Allocation.Space.SBUF, dtype, partitionStart, byteOffset, shape);
        }

        /** A PSUM allocation (fp32); {@code shape[0]} is its partition count. */
        public Builder psum(String allocation, int partitionStart, long byteOffset, int... shape) {
            return onChip(allocation, Allocation.Space.PSUM, StorageDtype.FP32, partitionStart, byteOffset, shape);
        }

        private Builder onChip(String allocation, Allocation.Space space, StorageDtype dtype, int partitionStart,
                long byteOffset, int... shape) {
            InstructionRef placeholder = new InstructionRef(Engine.TENSOR, 0);
            Allocation a = new Allocation(allocation, space, dtype, Arrays.stream(shape).boxed().toList(), partitionStart,
                    byteOffset, placeholder, placeholder);
            if (allocations.putIfAbsent(allocation, a) != null) {
                throw new InvalidProgramException("buffer '" + allocation + "' is declared twice");
            }
            return this;
        }

        /** The allocation lives from instruction {@code firstUse} to instruction {@code lastUse}. */
        public Builder live(String allocation, InstructionRef firstUse, InstructionRef lastUse) {
            if (!allocations.containsKey(allocation)) {
                throw new InvalidProgramException("no allocation '" + allocation + "' to give a lifetime");
            }
            lifetimes.put(allocation, new InstructionRef[] {firstUse, lastUse});
            return this;
        }

        public Builder semaphore(String semaphore) {
            semaphores.add(semaphore);
            return this;
        }

        /** Appends an instruction to an engine's stream and returns its reference. */
        public InstructionRef add(Engine engine, Instruction instruction) {
            List<Instruction> code = streams.computeIfAbsent(engine, e -> new ArrayList<>());
            code.add(Objects.requireNonNull(instruction));
            return new InstructionRef(engine, code.size() - 1);
        }

        public InstructionRef dma(int queue, AccessPattern dst, AccessPattern src) {
            return add(Engine.dma(queue), new Instruction.Dma(dst, src));
        }

        public InstructionRef matmul(AccessPattern dst, AccessPattern stationary, AccessPattern moving, boolean accumulate) {
            return add(Engine.TENSOR, new Instruction.Matmul(dst, stationary, moving, accumulate));
        }

        public InstructionRef signal(Engine engine, String semaphore) {
            return add(engine, new Instruction.Signal(semaphore));
        }

        public InstructionRef waitFor(Engine engine, String semaphore, int count) {
            return add(engine, new Instruction.Wait(semaphore, count));
        }

        /** The reference the next instruction appended to {@code engine} will get. */
        public InstructionRef next(Engine engine) {
            return new InstructionRef(engine, streams.getOrDefault(engine, List.of()).size());
        }

        public MachineProgram build() {
            List<Allocation> done = new ArrayList<>();
            for (Allocation a : allocations.values()) {
                InstructionRef[] life = lifetimes.get(a.name());
                if (life == null) {
                    throw new InvalidProgramException("allocation '" + a.name() + "' has no lifetime; give it one with live(...)");
                }
                done.add(new Allocation(a.name(), a.space(), a.dtype(), a.shape(), a.partitionStart(), a.byteOffset(),
                        life[0], life[1]));
            }
            List<Stream> code = new ArrayList<>();
            streams.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> code.add(new Stream(e.getKey(), e.getValue())));
            return new MachineProgram(name, dram, done, semaphores, code);
        }
    }
}
