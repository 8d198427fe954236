package dev.tessera.emulator.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The constructor of {@link MachineProgram}, which checks a program while it encodes it
 * ({@link ProgramCode}), against the checks it made before ({@link ReferenceValidation}): on random
 * programs with faults of every kind the constructor reports (instructions on the wrong engine,
 * undeclared buffers and semaphores, DMA to PSUM, engines on DRAM, partition ranges on DRAM tensors and
 * none on allocations, matmuls writing SBUF or reading PSUM, converting DMAs, reductions over too many
 * axes, stride-0 destinations, two signalling engines, lifetimes outside the program) both must accept
 * the same programs and reject the others with the same message.
 */
class ValidationEquivalenceProperties {
    private static final List<Engine> ENGINES = List.of(Engine.TENSOR, Engine.VECTOR, Engine.SCALAR, Engine.dma(0), Engine.dma(1));
    private static final List<String> BUFFERS = List.of("x", "h", "s0", "s1", "p0", "nope");

    @Property(tries = 1500)
    void theEncodingValidatorReportsWhatTheReferenceReports(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<DramTensor> dram = List.of(
                new DramTensor("x", StorageDtype.FP32, List.of(4, 16), 0, DramTensor.Role.INPUT),
                new DramTensor("h", r.nextInt(4) == 0 ? StorageDtype.BF16 : StorageDtype.FP32, List.of(4, 16), 256,
                        DramTensor.Role.OUTPUT));
        List<String> semaphores = List.of("a", "b");
        List<Stream> streams = new ArrayList<>();
        List<InstructionRef> refs = new ArrayList<>();
        int streamCount = 1 + r.nextInt(ENGINES.size());
        for (int s = 0; s < streamCount; s++) {
            Engine engine = ENGINES.get(s);
            List<Instruction> code = new ArrayList<>();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                code.add(instruction(r, engine));
                refs.add(new InstructionRef(engine, i));
            }
            streams.add(new Stream(engine, code));
        }
        List<Allocation> allocations = new ArrayList<>();
        for (String name : List.of("s0", "s1", "p0")) {
            InstructionRef first = lifetimeEnd(r, refs);
            InstructionRef last = lifetimeEnd(r, refs);
            boolean psum = name.startsWith("p");
            allocations.add(new Allocation(name, psum ? Allocation.Space.PSUM : Allocation.Space.SBUF,
                    psum || r.nextInt(6) != 0 ? StorageDtype.FP32 : StorageDtype.BF16, List.of(4, 16), 0, psum ? 0 : 64L * allocations.size(),
                    first, last));
        }
        String expected = ReferenceValidation.check(dram, allocations, semaphores, streams);
        String actual;
        try {
            new MachineProgram("p", dram, allocations, semaphores, streams);
            actual = null;
        } catch (InvalidProgramException e) {
            actual = e.getMessage();
        }
        Statistics.label("outcome").collect(expected == null ? "valid" : expected.replaceAll("^[^:]*:[0-9]+ \\([^)]*\\)", "I")
                .replaceAll("'[^']*'|\\S+\\[[^\\]]*\\]", "_").replaceAll("[0-9]+", "N"));
        assertThat(actual).isEqualTo(expected);
    }

    private static InstructionRef lifetimeEnd(SplittableRandom r, List<InstructionRef> refs) {
        if (refs.isEmpty() || r.nextInt(60) == 0) {
            return new InstructionRef(ENGINES.get(r.nextInt(ENGINES.size())), r.nextInt(8));
        }
        return refs.get(r.nextInt(refs.size()));
    }

    /**
     * An operand: on a DRAM tensor when {@code dram} (for DMA), else on an allocation of the given
     * space (PSUM when {@code psum}); now and then on any buffer, an undeclared one, with partitions
     * the wrong way round, or with a stride 0.
     */
    private static AccessPattern operand(SplittableRandom r, boolean dram, boolean psum) {
        String buffer = dram ? List.of("x", "h").get(r.nextInt(2)) : psum ? "p0" : List.of("s0", "s1").get(r.nextInt(2));
        int odds = faultyInstruction ? 3 : 1000;
        if (r.nextInt(odds) == 0) {
            buffer = BUFFERS.get(r.nextInt(BUFFERS.size()));
        }
        boolean onDram = buffer.equals("x") || buffer.equals("h");
        boolean partitioned = r.nextInt(odds) == 0 ? onDram : !onDram;
        Dim inner = r.nextInt(odds) == 0 ? Dim.of(4, 0) : Dim.of(4, 1);
        Dim[] dims = r.nextInt(4) == 0 ? new Dim[] {Dim.of(2, 8), inner} : new Dim[] {inner};
        return partitioned ? AccessPattern.onChip(buffer, 0, 4, 0, dims) : AccessPattern.dram(buffer, 0, dims);
    }

    /** Whether the operands of the instruction being made are faulty one time in three (else one in a thousand). */
    private static boolean faultyInstruction;

    private static Instruction instruction(SplittableRandom r, Engine engine) {
        faultyInstruction = r.nextInt(10) == 0;
        // Mostly what the engine runs; now and then anything.
        int kind = r.nextInt(40) == 0 ? r.nextInt(10) : switch (engine.kind()) {
            case DMA -> r.nextInt(4) == 0 ? 8 + r.nextInt(2) : 0;
            case TENSOR -> r.nextInt(4) == 0 ? 8 + r.nextInt(2) : 1;
            case VECTOR -> List.of(2, 3, 4, 5, 7, 8, 9).get(r.nextInt(7));
            case SCALAR -> List.of(5, 6, 7, 8, 9).get(r.nextInt(5));
        };
        boolean onPsum = r.nextInt(6) == 0;
        return switch (kind) {
            case 0 -> r.nextBoolean() ? new Instruction.Dma(operand(r, false, r.nextInt(30) == 0), operand(r, true, false))
                    : new Instruction.Dma(operand(r, r.nextInt(3) != 0, false), operand(r, r.nextInt(3) == 0, r.nextInt(30) == 0));
            case 1 -> new Instruction.Matmul(operand(r, false, r.nextInt(20) != 0), operand(r, false, r.nextInt(30) == 0),
                    operand(r, false, r.nextInt(30) == 0), r.nextBoolean());
            case 2 -> new Instruction.Binary(Ops.Binary.ADD, operand(r, false, false), operand(r, false, onPsum), operand(r, false, false));
            case 3 -> new Instruction.Unary(Ops.Unary.values()[0], operand(r, false, false), operand(r, false, onPsum));
            case 4 -> new Instruction.Reduce(Ops.Reduce.MAX, operand(r, false, false), operand(r, false, onPsum), r.nextInt(4));
            case 5 -> new Instruction.Copy(operand(r, false, false), operand(r, false, onPsum));
            case 6 -> new Instruction.Activation(Ops.Activation.RELU, operand(r, false, false), operand(r, false, onPsum), 1f, 0f);
            case 7 -> new Instruction.Memset(operand(r, false, onPsum), 0f);
            case 8 -> new Instruction.Signal(r.nextInt(30) == 0 ? "c" : List.of("a", "b").get(r.nextInt(2)));
            default -> new Instruction.Wait(r.nextInt(30) == 0 ? "c" : List.of("a", "b").get(r.nextInt(2)), 1 + r.nextInt(2));
        };
    }
}
