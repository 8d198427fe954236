package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

    private final String name;
    private final List<DramTensor> dramTensors;
    private final List<Allocation> allocations;
    private final List<String> semaphores;
    private final List<Stream> streams;
    private final Map<String, DramTensor> dramByName = new HashMap<>();
    private final Map<String, Allocation> allocationByName = new HashMap<>();
    private final Map<Engine, Stream> streamByEngine = new HashMap<>();

    public MachineProgram(String name, List<DramTensor> dramTensors, List<Allocation> allocations,
            List<String> semaphores, List<Stream> streams) {
        this.name = Objects.requireNonNull(name);
        if (!name.matches(ProgramText.NAME)) {
            throw new InvalidProgramException("program name '" + name + "' must match " + ProgramText.NAME);
        }
        this.dramTensors = List.copyOf(dramTensors);
        this.allocations = List.copyOf(allocations);
        this.semaphores = List.copyOf(semaphores);
        this.streams = List.copyOf(streams);
        validate();
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

    private void validate() {
        Set<String> buffers = new LinkedHashSet<>();
        for (DramTensor t : dramTensors) {
            requireName(t.name(), "DRAM tensor");
            if (!buffers.add(t.name())) {
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
            if (!buffers.add(a.name())) {
                throw new InvalidProgramException("buffer '" + a.name() + "' is declared twice");
            }
            if (a.space() == Allocation.Space.PSUM && a.dtype() != StorageDtype.FP32) {
                throw new InvalidProgramException("PSUM allocation '" + a.name() + "' must be fp32 (PSUM accumulates in fp32), got "
                        + a.dtype().text());
            }
            allocationByName.put(a.name(), a);
        }
        Set<String> sems = new LinkedHashSet<>();
        for (String s : semaphores) {
            requireName(s, "semaphore");
            if (!sems.add(s)) {
                throw new InvalidProgramException("semaphore '" + s + "' is declared twice");
            }
        }
        Map<String, Engine> signaller = new HashMap<>();
        for (Stream s : streams) {
            if (streamByEngine.put(s.engine(), s) != null) {
                throw new InvalidProgramException("engine " + s.engine() + " has two streams");
            }
            List<Instruction> code = s.instructions();
            for (int i = 0; i < code.size(); i++) {
                validateInstruction(code.get(i), s.engine(), new Where(s.engine(), i, code.get(i)), sems, signaller);
            }
        }
        for (Allocation a : allocations) {
            for (InstructionRef ref : new InstructionRef[] {a.firstUse(), a.lastUse()}) {
                Stream s = streamByEngine.get(ref.engine());
                if (s == null || ref.index() >= s.instructions().size()) {
                    throw new InvalidProgramException("allocation '" + a.name() + "' lives from/to " + ref
                            + ", which is not an instruction of the program");
                }
            }
        }
    }

    private static void requireName(String n, String what) {
        if (n == null || !n.matches(ProgramText.NAME)) {
            throw new InvalidProgramException(what + " name '" + n + "' must match " + ProgramText.NAME);
        }
    }

    private void validateInstruction(Instruction ins, Engine engine, Where where, Set<String> sems,
            Map<String, Engine> signaller) {
        if (!ins.runsOn(engine.kind())) {
            throw new InvalidProgramException(where + ": engine " + engine + " cannot run this instruction");
        }
        if (ins instanceof Instruction.Wait w) {
            requireSemaphore(w.semaphore(), sems, where);
            return;
        }
        if (ins instanceof Instruction.Signal sig) {
            requireSemaphore(sig.semaphore(), sems, where);
            Engine previous = signaller.putIfAbsent(sig.semaphore(), engine);
            if (previous != null && !previous.equals(engine)) {
                throw new InvalidProgramException(where + ": semaphore '" + sig.semaphore() + "' is already signalled by "
                        + previous + "; a semaphore has one signalling engine");
            }
            return;
        }
        List<AccessPattern> operands = new ArrayList<>(ins.writes());
        operands.addAll(ins.reads());
        for (AccessPattern ap : operands) {
            Allocation a = allocationByName.get(ap.buffer());
            DramTensor t = dramByName.get(ap.buffer());
            if (a == null && t == null) {
                throw new InvalidProgramException(where + ": no buffer named '" + ap.buffer() + "'");
            }
            if (ap.partitioned() != (a != null)) {
                throw new InvalidProgramException(where + ": operand " + ap.text() + (a != null
                        ? " names an on-chip allocation and needs a partition range"
                        : " names a DRAM tensor, which has no partitions"));
            }
            boolean dram = t != null;
            boolean psum = a != null && a.space() == Allocation.Space.PSUM;
            if (ins instanceof Instruction.Dma && psum) {
                throw new InvalidProgramException(where + ": DMA reaches DRAM and SBUF, not PSUM (" + ap.text() + ")");
            }
            if (!(ins instanceof Instruction.Dma) && dram) {
                throw new InvalidProgramException(where + ": only DMA reaches DRAM (" + ap.text() + ")");
            }
        }
        if (ins instanceof Instruction.Matmul m) {
            if (allocationByName.get(m.dst().buffer()).space() != Allocation.Space.PSUM) {
                throw new InvalidProgramException(where + ": a matmul writes PSUM, not " + m.dst().text());
            }
            for (AccessPattern in : List.of(m.stationary(), m.moving())) {
                if (allocationByName.get(in.buffer()).space() != Allocation.Space.SBUF) {
                    throw new InvalidProgramException(where + ": a matmul reads its inputs from SBUF, not " + in.text());
                }
            }
        }
        if (ins instanceof Instruction.Dma d && !dtypeOf(d.dst()).equals(dtypeOf(d.src()))) {
            throw new InvalidProgramException(where + ": DMA does not convert: destination is " + dtypeOf(d.dst()).text()
                    + ", source " + dtypeOf(d.src()).text());
        }
        if (ins instanceof Instruction.Reduce r && (r.axes() < 1 || r.axes() > r.src().dims().size())) {
            throw new InvalidProgramException(where + ": reduce over " + r.axes() + " innermost dimensions, but the source has "
                    + r.src().dims().size());
        }
        for (AccessPattern w : ins.writes()) {
            if (w.repeatsElements()) {
                throw new InvalidProgramException(where + ": destination " + w.text() + " has stride 0 (only reads may repeat elements)");
            }
        }
    }

    /** Names an instruction in messages; the text is built only when a check fails. */
    private record Where(Engine engine, int index, Instruction instruction) {
        @Override
        public String toString() {
            return engine.text() + ":" + index + " (" + instruction.text() + ")";
        }
    }

    /** The dtype of the buffer an operand names. */
    public StorageDtype dtypeOf(AccessPattern ap) {
        Allocation a = allocationByName.get(ap.buffer());
        return a != null ? a.dtype() : dramTensor(ap.buffer()).dtype();
    }

    private static void requireSemaphore(String s, Set<String> sems, Where where) {
        if (!sems.contains(s)) {
            throw new InvalidProgramException(where + ": semaphore '" + s + "' is not declared");
        }
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
