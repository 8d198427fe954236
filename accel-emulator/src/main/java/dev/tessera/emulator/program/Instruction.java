package dev.tessera.emulator.program;

import java.util.List;

/**
 * One instruction of an engine stream. Its operands are access patterns; {@link #reads()} and
 * {@link #writes()} are what the emulator checks (bounds, partition rules, initialised reads, races)
 * and what the timing model charges for. Text forms are given on each kind.
 */
public sealed interface Instruction {
    /** The operands read, in operand order. */
    List<AccessPattern> reads();

    /** The operands written (none for semaphore operations, one otherwise). */
    List<AccessPattern> writes();

    /** Whether an engine of this kind can run the instruction. */
    boolean runsOn(Engine.Kind kind);

    /** The canonical text of the instruction. */
    String text();

    /** {@code dma DST <- SRC}: a DMA transfer; DRAM and SBUF on either side, same dtype on both. */
    record Dma(AccessPattern dst, AccessPattern src) implements Instruction {
        public List<AccessPattern> reads() { return List.of(src); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.DMA; }
        public String text() { return "dma " + dst.text() + " <- " + src.text(); }
    }

    /**
     * {@code matmul DST = STATIONARY * MOVING} (or {@code +=} to accumulate): on the tensor engine,
     * {@code dst[m][n] (+)= Σ_k stationary[k][m] · moving[k][n]}, with k the partitions of both inputs
     * (K ≤ maxContraction), m the M free elements of the stationary operand (M ≤ maxStationaryFree,
     * the partitions of the fp32 PSUM result) and n the N free elements of the moving one
     * (N ≤ maxMovingFree, inside one PSUM bank).
     */
    record Matmul(AccessPattern dst, AccessPattern stationary, AccessPattern moving, boolean accumulate)
            implements Instruction {
        public List<AccessPattern> reads() {
            return accumulate ? List.of(stationary, moving, dst) : List.of(stationary, moving);
        }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.TENSOR; }
        public String text() {
            return "matmul " + dst.text() + (accumulate ? " += " : " = ") + stationary.text() + " * " + moving.text();
        }
    }

    /** {@code binary.OP DST = A, B}: elementwise on the vector engine; stride 0 in B broadcasts. */
    record Binary(Ops.Binary op, AccessPattern dst, AccessPattern a, AccessPattern b) implements Instruction {
        public List<AccessPattern> reads() { return List.of(a, b); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.VECTOR; }
        public String text() { return "binary." + op.text() + " " + dst.text() + " = " + a.text() + ", " + b.text(); }
    }

    /** {@code unary.OP DST = SRC}: elementwise on the vector engine. */
    record Unary(Ops.Unary op, AccessPattern dst, AccessPattern src) implements Instruction {
        public List<AccessPattern> reads() { return List.of(src); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.VECTOR; }
        public String text() { return "unary." + op.text() + " " + dst.text() + " = " + src.text(); }
    }

    /**
     * {@code reduce.OP DST = SRC axes K}: on the vector engine, each destination element combines one
     * block of the K innermost source dimensions. With overlapping windows in the source pattern
     * (stride below the window) this is pooling: a 3×3 stride-2 max pool of a row-major H×W plane is
     * {@code src = [+0, OH@2W, OW@2, 3@W, 3@1]}, {@code axes 2}.
     */
    record Reduce(Ops.Reduce op, AccessPattern dst, AccessPattern src, int axes) implements Instruction {
        public List<AccessPattern> reads() { return List.of(src); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.VECTOR; }
        public String text() { return "reduce." + op.text() + " " + dst.text() + " = " + src.text() + " axes " + axes; }
    }

    /** {@code copy DST = SRC}: an on-chip move on the vector or scalar engine (a PSUM eviction when SRC is PSUM). */
    record Copy(AccessPattern dst, AccessPattern src) implements Instruction {
        public List<AccessPattern> reads() { return List.of(src); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.VECTOR || kind == Engine.Kind.SCALAR; }
        public String text() { return "copy " + dst.text() + " = " + src.text(); }
    }

    /** {@code act.FN DST = SRC scale S bias B}: {@code dst = fn(src · S + B)} on the scalar engine. */
    record Activation(Ops.Activation function, AccessPattern dst, AccessPattern src, float scale, float bias)
            implements Instruction {
        public List<AccessPattern> reads() { return List.of(src); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.SCALAR; }
        public String text() {
            return "act." + function.text() + " " + dst.text() + " = " + src.text() + " scale " + scale + " bias " + bias;
        }

        /** Identity with scale 1 and bias 0: moves data and computes nothing. */
        public boolean isPlainMove() {
            return function == Ops.Activation.IDENTITY && scale == 1f && bias == 0f;
        }
    }

    /** {@code memset DST = VALUE} on the vector or scalar engine. */
    record Memset(AccessPattern dst, float value) implements Instruction {
        public List<AccessPattern> reads() { return List.of(); }
        public List<AccessPattern> writes() { return List.of(dst); }
        public boolean runsOn(Engine.Kind kind) { return kind == Engine.Kind.VECTOR || kind == Engine.Kind.SCALAR; }
        public String text() { return "memset " + dst.text() + " = " + value; }
    }

    /** {@code wait SEM >= N}: the stream stops until the semaphore has been signalled N times. */
    record Wait(String semaphore, int count) implements Instruction {
        public Wait {
            if (count < 1) {
                throw new InvalidProgramException("wait " + semaphore + " needs a count >= 1, got " + count);
            }
        }
        public List<AccessPattern> reads() { return List.of(); }
        public List<AccessPattern> writes() { return List.of(); }
        public boolean runsOn(Engine.Kind kind) { return true; }
        public String text() { return "wait " + semaphore + " >= " + count; }
    }

    /** {@code signal SEM}: counts the semaphore up once, after every earlier instruction of the stream finished. */
    record Signal(String semaphore) implements Instruction {
        public List<AccessPattern> reads() { return List.of(); }
        public List<AccessPattern> writes() { return List.of(); }
        public boolean runsOn(Engine.Kind kind) { return true; }
        public String text() { return "signal " + semaphore; }
    }
}
