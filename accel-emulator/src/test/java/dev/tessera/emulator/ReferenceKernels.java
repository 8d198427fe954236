package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.Instruction;
import java.util.List;

/**
 * Part of the reference emulator the tests compare the flat one against ({@link ReferenceEmulatorRun}).
 *
 * The arithmetic of each instruction, on values gathered from and scattered to buffers in the
 * access patterns' element order. Everything is computed in fp32 (transcendentals in double, then
 * rounded); a store rounds to the destination's dtype. Separate from the memory model
 * ({@link ReferenceBufferState}) and the ordering checks, which do not look at values.
 */
final class ReferenceKernels {
    private ReferenceKernels() {}

    static void execute(ReferenceStep s) {
        Instruction ins = s.instruction;
        switch (s.kind) {
            case DMA:
            case COPY:
                store(s.write, load(s.reads[0]));
                break;
            case MATMUL:
                matmul(s);
                break;
            case BINARY: {
                Instruction.Binary b = (Instruction.Binary) ins;
                float[] x = load(s.reads[0]);
                float[] y = load(s.reads[1]);
                for (int i = 0; i < x.length; i++) {
                    x[i] = b.op().apply(x[i], y[i]);
                }
                store(s.write, x);
                break;
            }
            case UNARY: {
                Instruction.Unary u = (Instruction.Unary) ins;
                float[] x = load(s.reads[0]);
                for (int i = 0; i < x.length; i++) {
                    x[i] = u.op().apply(x[i]);
                }
                store(s.write, x);
                break;
            }
            case ACTIVATION: {
                Instruction.Activation a = (Instruction.Activation) ins;
                float[] x = load(s.reads[0]);
                for (int i = 0; i < x.length; i++) {
                    x[i] = a.function().apply(x[i] * a.scale() + a.bias());
                }
                store(s.write, x);
                break;
            }
            case REDUCE:
                reduce(s, (Instruction.Reduce) ins);
                break;
            case MEMSET: {
                float[] x = new float[(int) s.write.pattern().elements()];
                java.util.Arrays.fill(x, ((Instruction.Memset) ins).value());
                store(s.write, x);
                break;
            }
            default:
                throw new IllegalStateException("no kernel for " + s.kind);
        }
    }

    /** {@code out[m][n] (+)= Σ_k stat[k][m] · mov[k][n]}, summed over k in increasing order in fp32. */
    private static void matmul(ReferenceStep s) {
        Instruction.Matmul m = (Instruction.Matmul) s.instruction;
        float[] stat = load(s.reads[0]);
        float[] mov = load(s.reads[1]);
        int k = m.stationary().partitions();
        int mSize = (int) m.stationary().elementsPerPartition();
        int n = (int) m.moving().elementsPerPartition();
        float[] out = m.accumulate() ? load(s.reads[2]) : new float[mSize * n];
        for (int kk = 0; kk < k; kk++) {
            int movRow = kk * n;
            for (int mm = 0; mm < mSize; mm++) {
                float a = stat[kk * mSize + mm];
                int outRow = mm * n;
                for (int nn = 0; nn < n; nn++) {
                    out[outRow + nn] += a * mov[movRow + nn];
                }
            }
        }
        store(s.write, out);
    }

    private static void reduce(ReferenceStep s, Instruction.Reduce r) {
        float[] x = load(s.reads[0]);
        List<Dim> dims = r.src().dims();
        int block = 1;
        for (int i = dims.size() - r.axes(); i < dims.size(); i++) {
            block *= dims.get(i).count();
        }
        float[] out = new float[x.length / block];
        for (int o = 0; o < out.length; o++) {
            float acc = r.op().identity();
            for (int i = o * block, end = i + block; i < end; i++) {
                acc = r.op().combine(acc, x[i]);
            }
            out[o] = r.op().finish(acc, block);
        }
        store(s.write, out);
    }

    /** Element indices into the buffer's storage, in the pattern's order. */
    static int[] indices(ReferenceStep.Operand op) {
        AccessPattern ap = op.pattern();
        int per = (int) ap.elementsPerPartition();
        int[] inner = new int[per];
        List<Dim> dims = ap.dims();
        int rank = dims.size();
        int[] counter = new int[rank];
        long index = ap.offset();
        for (int e = 0; e < per; e++) {
            inner[e] = (int) index;
            for (int d = rank - 1; d >= 0; d--) {
                Dim dim = dims.get(d);
                index += dim.stride();
                if (++counter[d] < dim.count()) {
                    break;
                }
                index -= dim.stride() * dim.count();
                counter[d] = 0;
            }
        }
        int partitions = ap.partitions();
        if (partitions == 1 && op.box().p0 == 0) {
            return inner;
        }
        int[] all = new int[partitions * per];
        int stride = op.buffer().elementsPerPartition;
        for (int p = 0; p < partitions; p++) {
            int base = (op.box().p0 + p) * stride;
            for (int e = 0; e < per; e++) {
                all[p * per + e] = base + inner[e];
            }
        }
        return all;
    }

    static float[] load(ReferenceStep.Operand op) {
        float[] data = op.buffer().data();
        int[] idx = indices(op);
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data[idx[i]];
        }
        return out;
    }

    static void store(ReferenceStep.Operand op, float[] values) {
        float[] data = op.buffer().data();
        int[] idx = indices(op);
        StorageDtype dtype = op.buffer().allocation != null ? op.buffer().allocation.dtype() : op.buffer().tensor.dtype();
        if (dtype == StorageDtype.FP32) {
            for (int i = 0; i < idx.length; i++) {
                data[idx[i]] = values[i];
            }
        } else {
            for (int i = 0; i < idx.length; i++) {
                data[idx[i]] = dtype.round(values[i]);
            }
        }
    }
}
