package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks {@link MachineProgram}'s constructor made before it also encoded the program
 * ({@link ProgramCode}), kept as the reference the encoding validator must agree with, message for
 * message ({@code ValidationEquivalenceProperties}).
 */
final class ReferenceValidation {
    private final List<DramTensor> dramTensors;
    private final List<Allocation> allocations;
    private final List<String> semaphores;
    private final List<Stream> streams;
    private final Map<String, DramTensor> dramByName = new HashMap<>();
    private final Map<String, Allocation> allocationByName = new HashMap<>();
    private final Map<Engine, Stream> streamByEngine = new HashMap<>();

    private ReferenceValidation(List<DramTensor> dramTensors, List<Allocation> allocations, List<String> semaphores,
            List<Stream> streams) {
        this.dramTensors = dramTensors;
        this.allocations = allocations;
        this.semaphores = semaphores;
        this.streams = streams;
    }

    private DramTensor dramTensor(String tensor) {
        return dramByName.get(tensor);
    }


    /** The message of the first thing wrong, as the validation before the encoding reported it, or null. */
    static String check(List<DramTensor> dramTensors, List<Allocation> allocations, List<String> semaphores, List<Stream> streams) {
        try {
            new ReferenceValidation(dramTensors, allocations, semaphores, streams).validate();
            return null;
        } catch (InvalidProgramException e) {
            return e.getMessage();
        }
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
    private StorageDtype dtypeOf(AccessPattern ap) {
        Allocation a = allocationByName.get(ap.buffer());
        return a != null ? a.dtype() : dramTensor(ap.buffer()).dtype();
    }

    private static void requireSemaphore(String s, Set<String> sems, Where where) {
        if (!sems.contains(s)) {
            throw new InvalidProgramException(where + ": semaphore '" + s + "' is not declared");
        }
    }
}
