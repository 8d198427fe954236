package dev.tessera.emulator;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.Instruction;
import java.util.List;

/**
 * The arithmetic of each instruction, on values gathered from and scattered to buffers in the
 * access patterns' element order. Everything is computed in fp32 (transcendentals in double, then
 * rounded); a store rounds to the destination's dtype. Holds the contents of the buffers of a
 * functional run (allocated on first use, dropped when an allocation's lifetime ends). Separate
 * from the memory model and the ordering checks ({@link EmulatorRun}), which do not look at values.
 */
final class Kernels {
    private final FlatProgram p;
    private final float[][] data;

    Kernels(FlatProgram p) {
        this.p = p;
        this.data = new float[p.buffers][];
    }

    /** The contents of buffer b, partition after partition. */
    float[] data(int b) {
        if (data[b] == null) {
            data[b] = new float[p.partitions[b] * p.elementsPerPartition[b]];
        }
        return data[b];
    }

    void release(int b) {
        data[b] = null;
    }

    /** Computes step g, instruction {@code ins}. */
    void execute(int g, Instruction ins) {
        int write = p.write(g);
        switch (p.kind(g)) {
            case FlatProgram.DMA:
            case FlatProgram.COPY:
                store(write, load(p.read0(g)));
                break;
            case FlatProgram.MATMUL:
                matmul(g, (Instruction.Matmul) ins);
                break;
            case FlatProgram.BINARY: {
                Instruction.Binary b = (Instruction.Binary) ins;
                float[] x = load(p.read0(g));
                float[] y = load(p.read1(g));
                for (int i = 0; i < x.length; i++) {
                    x[i] = b.op().apply(x[i], y[i]);
                }
                store(write, x);
                break;
            }
            case FlatProgram.UNARY: {
                Instruction.Unary u = (Instruction.Unary) ins;
                float[] x = load(p.read0(g));
                for (int i = 0; i < x.length; i++) {
                    x[i] = u.op().apply(x[i]);
                }
                store(write, x);
                break;
            }
            case FlatProgram.ACTIVATION:
            case FlatProgram.MOVE: {
                Instruction.Activation a = (Instruction.Activation) ins;
                float[] x = load(p.read0(g));
                for (int i = 0; i < x.length; i++) {
                    x[i] = a.function().apply(x[i] * a.scale() + a.bias());
                }
                store(write, x);
                break;
            }
            case FlatProgram.REDUCE:
                reduce(g, (Instruction.Reduce) ins);
                break;
            case FlatProgram.MEMSET: {
                float[] x = new float[(int) (p.opElements(write) * (p.opP1(write) - p.opP0(write)))];
                java.util.Arrays.fill(x, ((Instruction.Memset) ins).value());
                store(write, x);
                break;
            }
            default:
                throw new IllegalStateException("no kernel for step kind " + p.kind(g));
        }
    }

    /** {@code out[m][n] (+)= Σ_k stat[k][m] · mov[k][n]}, summed over k in increasing order in fp32. */
    private void matmul(int g, Instruction.Matmul m) {
        float[] stat = load(p.read0(g));
        float[] mov = load(p.read1(g));
        int k = m.stationary().partitions();
        int mSize = (int) m.stationary().elementsPerPartition();
        int n = (int) m.moving().elementsPerPartition();
        float[] out = m.accumulate() ? load(p.read2(g)) : new float[mSize * n];
        multiplyAccumulate(out, stat, mov, k, mSize, n);
        store(p.write(g), out);
    }

    /** The arithmetic of {@link #matmul}, a static method of its own so that it compiles as one tight loop nest. */
    private static void multiplyAccumulate(float[] out, float[] stat, float[] mov, int k, int mSize, int n) {
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
    }

    private void reduce(int g, Instruction.Reduce r) {
        float[] x = load(p.read0(g));
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
        store(p.write(g), out);
    }

    /** Element indices into the buffer's storage of operand o, in the pattern's order. */
    private int[] indices(int o) {
        AccessPattern ap = p.pattern(o);
        int p0 = p.opP0(o);
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
        if (partitions == 1 && p0 == 0) {
            return inner;
        }
        int[] all = new int[partitions * per];
        int stride = p.elementsPerPartition[p.opBuffer(o)];
        for (int q = 0; q < partitions; q++) {
            int base = (p0 + q) * stride;
            for (int e = 0; e < per; e++) {
                all[q * per + e] = base + inner[e];
            }
        }
        return all;
    }

    private float[] load(int o) {
        float[] data = data(p.opBuffer(o));
        int[] idx = indices(o);
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data[idx[i]];
        }
        return out;
    }

    private void store(int o, float[] values) {
        int b = p.opBuffer(o);
        float[] data = data(b);
        int[] idx = indices(o);
        StorageDtype dtype = p.dtype[b];
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
