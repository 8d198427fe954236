package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Element-wise operators — unary activations, binary and variadic arithmetic with numpy
 * broadcasting, and inference-form BatchNormalization (kept a separate operator) — lowered per
 * output tile:
 *
 * <pre>
 * for each tile T of Y:                       (partition axis ≤ partitions, free part within budget)
 *   for each input j:  x_j[T] ← DMA  X_j[broadcast(T)]      (broadcast axes load once per tile)
 *   y[T] ← op(x_0[T], x_1[T], …)                            (scalar engine for activations, vector otherwise)
 *   Y[T]  ← DMA y[T]
 * </pre>
 * A broadcast input keeps extent 1 on broadcast free axes and is replicated across partitions
 * when it does not vary along the partition axis (engines cannot read across partitions).
 */
final class ElementwiseLowering {
    private ElementwiseLowering() {}

    static void lower(NodeLowering n) {
        Operation op = operation(n);
        boolean activation = op.code().minReads() == 1 && op.code().maxReads() == 1;
        List<Long> out = n.outShape(0);
        int inputs = 0;
        for (int j = 0; j < n.node().inputs().size(); j++) {
            if (n.hasInput(j)) {
                inputs++;
            }
        }
        List<int[]> axisMaps = new ArrayList<>();
        for (int j = 0; j < n.node().inputs().size(); j++) {
            if (n.hasInput(j)) {
                axisMaps.add(n.node().opType().equals("BatchNormalization") && j > 0
                        ? new int[] {1} : rightAligned(n.inShape(j).size(), out.size()));
            }
        }
        int pa = TileSpace.choosePartitionAxis(out, n.partitions(), Set.of());
        long freeElements = n.program().spec().sbufBytesPerPartition() / (inputs + 1L) / n.widestBytes();
        TileSpace ts = TileSpace.plan("", out, pa, n.partitions(), freeElements, Set.of());
        List<String> tiles = new ArrayList<>();
        List<Set<Integer>> used = new ArrayList<>();
        int j = 0;
        for (int input = 0; input < n.node().inputs().size(); input++) {
            if (!n.hasInput(input)) {
                continue;
            }
            Set<Integer> u = usedAxes(n.inShape(input), axisMaps.get(j), out);
            used.add(u);
            tiles.add(loadTile(n, ts, input, "x" + j, axisMaps.get(j), u, j));
            j++;
        }
        Set<Integer> all = ts.all();
        String y = n.sbuf("y", n.outType(0), ts.tileShape(all));
        Domain d = ts.domain(all, List.of(), List.of());
        NodeLowering.StatementBuilder compute = n.stmt(op.code().text(), activation ? StatementKind.SCALAR
                : StatementKind.VECTOR, activation ? Engine.SCALAR : Engine.VECTOR, op)
                .domain(d, ts.tileDims()).schedule(n.time(ts.tileIterators(), inputs, ts.intraIterators(all)))
                .write(y, ts.local(all));
        for (int k = 0; k < tiles.size(); k++) {
            compute.read(tiles.get(k), ts.local(used.get(k)));
        }
        compute.add();
        store(n, ts, y, 0, inputs + 1);
    }

    /** Loads the tile of input {@code input} that output tile T needs into a new SBUF buffer; returns its name. */
    static String loadTile(NodeLowering n, TileSpace ts, int input, String suffix, int[] axisMap, Set<Integer> used,
            int phase) {
        String buf = n.sbuf(suffix, n.inType(input), ts.tileShape(used));
        Set<Integer> intra = new TreeSet<>(used);
        if (ts.partitionAxis() >= 0) {
            intra.add(ts.partitionAxis());
        }
        List<Expr> src = new ArrayList<>();
        List<Long> shape = n.inShape(input);
        for (int q = 0; q < shape.size(); q++) {
            int k = axisMap[q];
            src.add(used.contains(k) ? ts.axis(k).global() : Expr.constant(0));
        }
        n.stmt("load_" + suffix, StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(ts.domain(intra, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), phase, ts.intraIterators(intra)))
                .write(buf, ts.local(used)).read(n.inDram(input), src).add();
        return buf;
    }

    /** Stores SBUF tile {@code y} (laid out like {@code ts}) to output {@code output}. */
    static void store(NodeLowering n, TileSpace ts, String y, int output, int phase) {
        Set<Integer> all = ts.all();
        n.stmt("store" + (output == 0 ? "" : "_" + output), StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(ts.domain(all, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), phase, ts.intraIterators(all)))
                .write(n.outDram(output), ts.global()).read(y, ts.local(all)).add();
    }

    /** Numpy alignment: input axis q of a rank-r input is output axis q + (rank - r). */
    static int[] rightAligned(int inputRank, int outputRank) {
        int[] m = new int[inputRank];
        for (int q = 0; q < inputRank; q++) {
            m[q] = q + outputRank - inputRank;
        }
        return m;
    }

    /** Output axes along which the input varies (its size equals the output's and exceeds 1). */
    static Set<Integer> usedAxes(List<Long> in, int[] axisMap, List<Long> out) {
        Set<Integer> u = new TreeSet<>();
        for (int q = 0; q < in.size(); q++) {
            if (in.get(q) > 1 && in.get(q).equals(out.get(axisMap[q]))) {
                u.add(axisMap[q]);
            }
        }
        return u;
    }

    private static Operation operation(NodeLowering n) {
        return switch (n.node().opType()) {
            case "Relu" -> Operation.of(OpCode.RELU);
            case "Sigmoid" -> Operation.of(OpCode.SIGMOID);
            case "Tanh" -> Operation.of(OpCode.TANH);
            case "Erf" -> Operation.of(OpCode.ERF);
            case "Sqrt" -> Operation.of(OpCode.SQRT);
            case "HardSwish" -> Operation.of(OpCode.HARD_SWISH);
            case "Gelu" -> Operation.of(n.strAttr("approximate", "none").equals("tanh") ? OpCode.GELU_TANH : OpCode.GELU);
            case "LeakyRelu" -> Operation.of(OpCode.LEAKY_RELU, n.floatAttr("alpha", 0.01));
            case "HardSigmoid" -> Operation.of(OpCode.HARD_SIGMOID, n.floatAttr("alpha", 0.2), n.floatAttr("beta", 0.5));
            case "Clip" -> Operation.of(OpCode.CLIP, n.floatAttr("min", Double.NEGATIVE_INFINITY),
                    n.floatAttr("max", Double.POSITIVE_INFINITY));
            case "Add" -> Operation.of(OpCode.ADD);
            case "Sub" -> Operation.of(OpCode.SUB);
            case "Mul" -> Operation.of(OpCode.MUL);
            case "Div" -> Operation.of(OpCode.DIV);
            case "Pow" -> Operation.of(OpCode.POW);
            case "Max" -> Operation.of(OpCode.MAX);
            case "Min" -> Operation.of(OpCode.MIN);
            case "BatchNormalization" -> Operation.of(OpCode.BATCH_NORM, n.floatAttr("epsilon", 1e-5));
            default -> throw new InternalCompilerError("not an element-wise op: " + n.node().opType());
        };
    }
}
