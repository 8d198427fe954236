package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a loop-IR program on values, for small shapes: every instance of every statement, in the
 * lexicographic order of the schedule, reads its elements, applies its op and writes, rounding to
 * the written buffer's type. It is the IR's meaning made executable, independent of any backend,
 * and reading an on-chip element nobody wrote is an error here (it would be garbage on a device).
 * A Gather's may-read takes its row from the index it read first ({@code row = idx}, negative
 * indices counted from the end).
 */
public final class LoopInterpreter {
    private LoopInterpreter() {}

    private record Instance(Statement statement, long[] point, long[] time) {}

    /**
     * Runs {@code p} with DRAM tensors initialised from {@code values} (by tensor name; inputs and
     * weights must all be given) and returns every DRAM tensor's final values.
     */
    public static Map<String, float[]> run(LoopProgram p, Map<String, float[]> values) {
        Map<String, double[]> mem = new HashMap<>();
        Map<String, boolean[]> written = new HashMap<>();
        for (Buffer b : p.buffers()) {
            double[] data = new double[Math.toIntExact(b.elements())];
            if (b.space() == MemorySpace.DRAM && values.containsKey(b.tensor())) {
                float[] v = values.get(b.tensor());
                if (v.length != data.length) {
                    throw new IllegalArgumentException("tensor '" + b.tensor() + "' needs " + data.length
                            + " values, got " + v.length);
                }
                for (int i = 0; i < v.length; i++) {
                    data[i] = v[i];
                }
            }
            mem.put(b.name(), data);
            if (b.space() != MemorySpace.DRAM) {
                written.put(b.name(), new boolean[data.length]);
            }
        }
        int dims = p.scheduleDims();
        List<Instance> instances = new ArrayList<>();
        for (Statement s : p.statements()) {
            List<String> names = s.domain().names();
            s.domain().forEachPoint(pt -> {
                long[] t = new long[dims];
                for (int i = 0; i < s.schedule().size(); i++) {
                    t[i] = s.schedule().get(i).eval(names, pt);
                }
                instances.add(new Instance(s, pt, t));
            });
        }
        instances.sort(Comparator.comparing(Instance::time, Arrays::compare));
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        for (Buffer b : p.buffers()) {
            buffers.put(b.name(), b);
        }
        for (int k = 1; k < instances.size(); k++) {
            if (Arrays.equals(instances.get(k - 1).time(), instances.get(k).time())) {
                throw new InternalCompilerError("statements " + instances.get(k - 1).statement().name() + " and "
                        + instances.get(k).statement().name() + " run at the same time " + Arrays.toString(instances.get(k).time()));
            }
        }
        for (Instance in : instances) {
            execute(in, buffers, mem, written);
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Buffer b : p.buffers()) {
            if (b.space() == MemorySpace.DRAM) {
                double[] d = mem.get(b.name());
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                out.put(b.tensor(), f);
            }
        }
        return out;
    }

    private static void execute(Instance in, Map<String, Buffer> buffers, Map<String, double[]> mem,
            Map<String, boolean[]> written) {
        Statement s = in.statement();
        List<String> names = new ArrayList<>(s.domain().names());
        long[] point = in.point();
        double[] r = new double[s.reads().size()];
        for (int i = 0; i < r.length; i++) {
            Access a = s.reads().get(i);
            List<String> n = names;
            long[] pt = point;
            if (a.may()) {
                Buffer table = buffers.get(a.buffer());
                n = new ArrayList<>(names);
                pt = Arrays.copyOf(point, point.length + a.dataDependent().size());
                for (int j = 0; j < a.dataDependent().size(); j++) {
                    Iterator dd = a.dataDependent().get(j);
                    long size = dd.upper().constantTerm();
                    long row = (long) r[0];
                    pt[point.length + j] = row < 0 ? row + size : row;
                    n.add(dd.name());
                }
                if (table == null) {
                    throw new IllegalStateException("no buffer " + a.buffer());
                }
            }
            int flat = flatIndex(buffers.get(a.buffer()), a, n, pt, s);
            boolean[] w = written.get(a.buffer());
            if (w != null && !w[flat]) {
                throw new InternalCompilerError("statement " + s.name() + " at " + Arrays.toString(point)
                        + " reads element " + flat + " of " + a.buffer() + ", which nothing wrote");
            }
            r[i] = mem.get(a.buffer())[flat];
        }
        double v = s.op().code().apply(s.op().paramArray(), r, point);
        Buffer out = buffers.get(s.write().buffer());
        int flat = flatIndex(out, s.write(), names, point, s);
        mem.get(out.name())[flat] = round(out.type(), v);
        boolean[] w = written.get(out.name());
        if (w != null) {
            w[flat] = true;
        }
    }

    /**
     * Rounds to the buffer's type: floats to their storage precision, integers toward zero, bool to 0
     * or 1. NaN stored into an integer buffer is 0, as Java's {@code (long) NaN} and the reference
     * interpreter's Cast give (ONNX leaves it undefined; one answer in both keeps them comparable).
     */
    private static double round(ElementType t, double v) {
        if (t.isFloat()) {
            return t.storage().round((float) v);
        }
        if (t == ElementType.BOOL) {
            return v != 0 ? 1 : 0;
        }
        return (double) (long) v;
    }

    private static int flatIndex(Buffer b, Access a, List<String> names, long[] point, Statement s) {
        long flat = 0;
        for (int d = 0; d < b.shape().size(); d++) {
            long i = a.indices().get(d).eval(names, point);
            if (i < 0 || i >= b.shape().get(d)) {
                throw new InternalCompilerError("statement " + s.name() + " at " + Arrays.toString(point)
                        + " accesses " + b.name() + " " + b.shape() + " at index " + i + " of dimension " + d);
            }
            flat = flat * b.shape().get(d) + i;
        }
        return Math.toIntExact(flat);
    }
}
