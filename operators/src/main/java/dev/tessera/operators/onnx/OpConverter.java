package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one ONNX node into graph IR nodes with concrete output shapes, in a canonical form that no
 * longer depends on the opset: every attribute the semantics need is explicit, axes are
 * non-negative, and constant inputs become attributes. The forms (what the reference interpreter
 * and later stages read):
 *
 * <ul>
 *   <li>{@code Conv}(X, W[, B]): {@code group, kernel_shape, strides, dilations, pads} (all begins
 *       then all ends; {@code auto_pad} resolved). {@code ConvTranspose} the same plus
 *       {@code output_padding}.
 *   <li>{@code MaxPool / AveragePool}(X): {@code kernel_shape, strides, dilations, pads,
 *       ceil_mode} (+ {@code storage_order} / {@code count_include_pad}); the output shape decides
 *       the window count.
 *   <li>{@code Reshape}(X): {@code shape} fully resolved (no 0 or −1). {@code Flatten}: {@code axis}.
 *       {@code Squeeze / Unsqueeze}: {@code axes} explicit and sorted. {@code Transpose}: {@code perm}.
 *   <li>{@code Slice}(X): {@code starts, ends, axes, steps} over every axis, starts clamped.
 *       {@code Split}: {@code axis, split} (sizes). {@code Pad}(X): {@code pads} (2·rank),
 *       {@code mode}, {@code value}. {@code Concat / Gather / Softmax / LayerNormalization}:
 *       non-negative {@code axis}; Softmax always with opset-13 meaning (one axis).
 *   <li>{@code ReduceMean}(X): {@code axes} explicit, {@code keepdims}. {@code Clip}(X): optional
 *       {@code min, max}. {@code Resize}(X): {@code mode} (nearest|linear),
 *       {@code coordinate_transformation_mode}, {@code nearest_mode}, {@code scales} per axis.
 *   <li>{@code Dropout} becomes {@code Identity}; Constant, Shape and ConstantOfShape produce no node.
 * </ul>
 */
final class OpConverter {
    /** The op types this importer maps, default domain only. */
    static final Set<String> SUPPORTED = Set.of(
            "Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "Relu", "LeakyRelu", "Clip",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt",
            "Max", "Min", "Concat", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Split",
            "Pad", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean", "Softmax", "LayerNormalization",
            "Gather", "Resize",
            // structural ops that fold away or are trivial
            "Constant", "Shape", "ConstantOfShape", "Cast", "Identity", "Dropout");

    /** Ops the importer evaluates when all their inputs are small constants. */
    static final Set<String> FOLDABLE = Set.of("Identity", "Cast", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
            "Concat", "Gather", "Slice", "Transpose", "Add", "Sub", "Mul", "Div", "Max", "Min");

    private OpConverter() {}

    static List<Node> convert(NodeContext ctx) {
        return switch (ctx.opType()) {
            case "Constant" -> constant(ctx);
            case "Shape" -> shape(ctx);
            case "ConstantOfShape" -> constantOfShape(ctx);
            case "Conv" -> conv(ctx);
            case "ConvTranspose" -> convTranspose(ctx);
            case "MaxPool", "AveragePool" -> pool(ctx);
            case "GlobalAveragePool" -> globalAveragePool(ctx);
            case "Gemm" -> gemm(ctx);
            case "MatMul" -> matMul(ctx);
            case "BatchNormalization" -> sameShape(ctx, List.of(0, 1, 2, 3, 4),
                    attrs("epsilon", Attribute.of(ctx.attrFloat("epsilon", 1e-5))));
            case "Relu", "Sigmoid", "Tanh", "Erf", "Sqrt", "HardSwish", "Identity" -> sameShape(ctx, List.of(0), Map.of());
            case "Dropout" -> dropout(ctx);
            case "LeakyRelu" -> sameShape(ctx, List.of(0), attrs("alpha", Attribute.of(ctx.attrFloat("alpha", 0.01))));
            case "HardSigmoid" -> sameShape(ctx, List.of(0), attrs("alpha", Attribute.of(ctx.attrFloat("alpha", 0.2)),
                    "beta", Attribute.of(ctx.attrFloat("beta", 0.5))));
            case "Clip" -> clip(ctx);
            case "Cast" -> cast(ctx);
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min" -> broadcasting(ctx);
            case "Concat" -> concat(ctx);
            case "Reshape" -> reshape(ctx);
            case "Flatten" -> flatten(ctx);
            case "Transpose" -> transpose(ctx);
            case "Squeeze" -> squeeze(ctx);
            case "Unsqueeze" -> unsqueeze(ctx);
            case "Slice" -> slice(ctx);
            case "Split" -> split(ctx);
            case "Pad" -> pad(ctx);
            case "ReduceMean" -> reduceMean(ctx);
            case "Softmax" -> softmax(ctx);
            case "LayerNormalization" -> layerNormalization(ctx);
            case "Gather" -> gather(ctx);
            case "Resize" -> Resizes.convert(ctx);
            default -> throw new IllegalStateException("not a supported op: " + ctx.opType());
        };
    }

    // ---- helpers ----

    static Map<String, Attribute> attrs(Object... nameValue) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Attribute) nameValue[i + 1]);
        }
        return m;
    }

    static Attribute ints(List<Long> values) {
        return new Attribute.Ints(values);
    }

    static Attribute ints(long[] values) {
        return new Attribute.Ints(Arrays.stream(values).boxed().toList());
    }

    /** One node named after the ONNX node, with the given data inputs and all named outputs. */
    static Node node(NodeContext ctx, String opType, List<String> inputs, Map<String, Attribute> attributes) {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < ctx.outputCount(); i++) {
            if (ctx.hasOutput(i)) {
                outputs.add(ctx.outputName(i));
            }
        }
        return new Node(ctx.name(), opType, inputs, outputs, attributes);
    }

    private static List<String> present(NodeContext ctx, List<Integer> indices) {
        List<String> out = new ArrayList<>();
        for (int i : indices) {
            if (ctx.hasInput(i)) {
                out.add(ctx.inputName(i));
            }
        }
        return out;
    }

    /** Only output 0 may be used; the others (training statistics, masks, indices) are not produced. */
    private static void onlyFirstOutput(NodeContext ctx) {
        for (int i = 1; i < ctx.outputCount(); i++) {
            if (ctx.hasOutput(i)) {
                throw ctx.error("output " + i + " ('" + ctx.outputName(i) + "') is not supported; only output 0 is");
            }
        }
    }

    /** Output names in position, "" for an absent optional output before a present one. */
    private static List<String> namedOutputs(NodeContext ctx) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < ctx.outputCount(); i++) {
            outs.add(ctx.hasOutput(i) ? ctx.outputName(i) : "");
        }
        while (!outs.isEmpty() && outs.get(outs.size() - 1).isEmpty()) {
            outs.remove(outs.size() - 1);
        }
        return outs;
    }

    static int axis(NodeContext ctx, long axis, int rank) {
        int a = Shapes.normalizeAxis(axis, rank);
        if (a < 0) {
            throw ctx.error("axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    // ---- constants and shapes ----

    private static List<Node> constant(NodeContext ctx) {
        TensorProto t = ctx.attrTensor("value");
        if (t != null) {
            ctx.defineWeight(0, TensorData.of(ctx.outputName(0), t, ctx.modelDirectory()));
        } else if (ctx.hasAttribute("value_float")) {
            ctx.defineConstant(0, ConstTensor.ofReals(DType.FLOAT32, List.of(),
                    new double[] {(float) ctx.attrFloat("value_float", 0)}));
        } else if (ctx.hasAttribute("value_floats")) {
            List<Float> fs = ctx.attrFloats("value_floats");
            ctx.defineConstant(0, ConstTensor.ofReals(DType.FLOAT32, List.of((long) fs.size()),
                    fs.stream().mapToDouble(Float::doubleValue).toArray()));
        } else if (ctx.hasAttribute("value_int")) {
            ctx.defineConstant(0, ConstTensor.ofInts(DType.INT64, List.of(), new long[] {ctx.attrInt("value_int", 0)}));
        } else if (ctx.hasAttribute("value_ints")) {
            ctx.defineConstant(0, ConstTensor.vector(ctx.attrInts("value_ints").stream().mapToLong(Long::longValue).toArray()));
        } else {
            throw ctx.error("has no value attribute Tessera supports (value, value_float(s), value_int(s))");
        }
        return List.of();
    }

    private static List<Node> shape(NodeContext ctx) {
        List<Long> s = ctx.shape(0);
        int rank = s.size();
        long start = ctx.attrInt("start", 0);
        long end = ctx.attrInt("end", rank);
        start = Shapes.clamp(start < 0 ? start + rank : start, 0, rank);
        end = Shapes.clamp(end < 0 ? end + rank : end, 0, rank);
        long[] dims = new long[(int) Math.max(0, end - start)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = s.get((int) start + i);
        }
        ctx.defineConstant(0, ConstTensor.vector(dims));
        return List.of();
    }

    private static List<Node> constantOfShape(NodeContext ctx) {
        List<Long> shape = ctx.constInput(0, "shape").asLongList();
        long n = Shapes.elements(shape);
        if (n > ValueTable.FOLD_LIMIT) {
            throw ctx.error("produces " + n + " elements; Tessera folds ConstantOfShape up to " + ValueTable.FOLD_LIMIT);
        }
        TensorProto t = ctx.attrTensor("value");
        ConstTensor fill = t == null
                ? ConstTensor.ofReals(DType.FLOAT32, List.of(1L), new double[] {0})
                : TensorData.of(ctx.outputName(0), t, ctx.modelDirectory()).toConst();
        if (fill.size() != 1) {
            throw ctx.error("its value must hold exactly one element, not " + fill.size());
        }
        int count = (int) n;
        ConstTensor out = fill.isInteger()
                ? ConstTensor.ofInts(fill.dtype(), shape, filled(count, fill.intAt(0)))
                : ConstTensor.ofReals(fill.dtype(), shape, filledReal(count, fill.realAt(0)));
        ctx.defineConstant(0, out);
        return List.of();
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static double[] filledReal(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    // ---- element-wise ----

    private static List<Node> sameShape(NodeContext ctx, List<Integer> inputs, Map<String, Attribute> attributes) {
        onlyFirstOutput(ctx);
        ctx.define(0, ctx.dtype(0), ctx.shape(0));
        return List.of(new Node(ctx.name(), ctx.opType(), present(ctx, inputs), List.of(ctx.outputName(0)), attributes));
    }

    /**
     * Dropout at inference (or in training with ratio 0) is the identity; its optional mask output
     * is all true. Training mode with a positive ratio (random dropping) is rejected.
     */
    private static List<Node> dropout(NodeContext ctx) {
        boolean training = ctx.hasInput(2) && ctx.constInput(2, "training_mode").intAt(0) != 0;
        double ratio = ctx.hasInput(1) ? ctx.constInput(1, "ratio").realAt(0) : ctx.attrFloat("ratio", 0.5);
        if (training && ratio != 0) {
            throw ctx.error("training mode with ratio " + ratio + " is not supported: it drops values at random");
        }
        ctx.define(0, ctx.dtype(0), ctx.shape(0));
        if (ctx.hasOutput(1)) {
            long n = Shapes.elements(ctx.shape(0));
            if (n > ValueTable.FOLD_LIMIT) {
                throw ctx.error("its mask output has " + n + " elements; Tessera produces masks up to "
                        + ValueTable.FOLD_LIMIT);
            }
            ctx.defineConstant(1, ConstTensor.ofInts(DType.BOOL, ctx.shape(0), filled((int) n, 1)));
        }
        return List.of(new Node(ctx.name(), "Identity", List.of(ctx.inputName(0)), List.of(ctx.outputName(0)), Map.of()));
    }

    private static List<Node> clip(NodeContext ctx) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        if (ctx.opset() < 11) {
            if (ctx.hasAttribute("min")) {
                a.put("min", Attribute.of(ctx.attrFloat("min", 0)));
            }
            if (ctx.hasAttribute("max")) {
                a.put("max", Attribute.of(ctx.attrFloat("max", 0)));
            }
        } else {
            if (ctx.hasInput(1)) {
                a.put("min", Attribute.of(ctx.constInput(1, "min").realAt(0)));
            }
            if (ctx.hasInput(2)) {
                a.put("max", Attribute.of(ctx.constInput(2, "max").realAt(0)));
            }
        }
        ctx.define(0, ctx.dtype(0), ctx.shape(0));
        return List.of(new Node(ctx.name(), "Clip", List.of(ctx.inputName(0)), List.of(ctx.outputName(0)), a));
    }

    private static List<Node> cast(NodeContext ctx) {
        long to = ctx.attrInt("to", 0);
        if (to != (int) to) {
            throw ctx.error("attribute 'to' = " + to + " is outside the int range of ONNX element-type codes");
        }
        DType target = OnnxTypes.toDType((int) to, "Cast node '" + ctx.name() + "' target");
        ctx.define(0, target, ctx.shape(0));
        return List.of(node(ctx, "Cast", List.of(ctx.inputName(0)), attrs("to", Attribute.of(to))));
    }

    private static List<Node> broadcasting(NodeContext ctx) {
        List<String> inputs = ctx.inputNames();
        if (inputs.isEmpty()) {
            throw ctx.error("has no inputs");
        }
        List<Long> shape = ctx.shape(0);
        for (int i = 1; i < ctx.inputCount(); i++) {
            List<Long> next = Shapes.broadcast(shape, ctx.shape(i));
            if (next == null) {
                throw ctx.error("inconsistent shapes: " + shape + " and " + ctx.shape(i) + " do not broadcast");
            }
            shape = next;
        }
        ctx.define(0, ctx.dtype(0), shape);
        return List.of(node(ctx, ctx.opType(), inputs, Map.of()));
    }

    // ---- linear algebra ----

    private static List<Node> gemm(NodeContext ctx) {
        List<Long> a = ctx.shape(0);
        List<Long> b = ctx.shape(1);
        if (a.size() != 2 || b.size() != 2) {
            throw ctx.error("inputs must be matrices, got " + a + " and " + b);
        }
        long transA = ctx.attrInt("transA", 0);
        long transB = ctx.attrInt("transB", 0);
        long m = transA == 0 ? a.get(0) : a.get(1);
        long k = transA == 0 ? a.get(1) : a.get(0);
        long kb = transB == 0 ? b.get(0) : b.get(1);
        long n = transB == 0 ? b.get(1) : b.get(0);
        if (k != kb) {
            throw ctx.error("inconsistent shapes: A " + a + " and B " + b + " (transA=" + transA + ", transB=" + transB
                    + ") disagree on the inner dimension");
        }
        List<Long> out = List.of(m, n);
        if (ctx.hasInput(2) && !out.equals(Shapes.broadcast(out, ctx.shape(2)))) {
            throw ctx.error("inconsistent shapes: C " + ctx.shape(2) + " does not broadcast to " + out);
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Gemm", present(ctx, List.of(0, 1, 2)), attrs(
                "alpha", Attribute.of(ctx.attrFloat("alpha", 1)), "beta", Attribute.of(ctx.attrFloat("beta", 1)),
                "transA", Attribute.of(transA), "transB", Attribute.of(transB))));
    }

    private static List<Node> matMul(NodeContext ctx) {
        List<Long> a = ctx.shape(0);
        List<Long> b = ctx.shape(1);
        if (a.isEmpty() || b.isEmpty()) {
            throw ctx.error("inputs must have rank at least 1, got " + a + " and " + b);
        }
        List<Long> a2 = a.size() == 1 ? List.of(1L, a.get(0)) : a;
        List<Long> b2 = b.size() == 1 ? List.of(b.get(0), 1L) : b;
        long k = a2.get(a2.size() - 1);
        if (k != b2.get(b2.size() - 2)) {
            throw ctx.error("inconsistent shapes: " + a + " × " + b + " disagree on the inner dimension");
        }
        List<Long> batch = Shapes.broadcast(a2.subList(0, a2.size() - 2), b2.subList(0, b2.size() - 2));
        if (batch == null) {
            throw ctx.error("inconsistent shapes: batch dimensions of " + a + " and " + b + " do not broadcast");
        }
        List<Long> out = new ArrayList<>(batch);
        if (a.size() > 1) {
            out.add(a2.get(a2.size() - 2));
        }
        if (b.size() > 1) {
            out.add(b2.get(b2.size() - 1));
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "MatMul", List.of(ctx.inputName(0), ctx.inputName(1)), Map.of()));
    }

    // ---- convolution and pooling ----

    /** Kernel geometry of a Conv, ConvTranspose or pooling node, with pads resolved. */
    private record Window(long[] kernel, long[] strides, long[] dilations, long[] pads) {}

    private static long[] longs(List<Long> values, int n, long dflt, NodeContext ctx, String attr) {
        if (values == null) {
            long[] a = new long[n];
            Arrays.fill(a, dflt);
            return a;
        }
        if (values.size() != n) {
            throw ctx.error("attribute " + attr + " has " + values.size() + " values; expected " + n);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static Window window(NodeContext ctx, List<Long> inputShape, long[] kernel) {
        int spatial = inputShape.size() - 2;
        long[] strides = longs(ctx.attrInts("strides"), spatial, 1, ctx, "strides");
        long[] dilations = longs(ctx.attrInts("dilations"), spatial, 1, ctx, "dilations");
        long[] pads = longs(ctx.attrInts("pads"), 2 * spatial, 0, ctx, "pads");
        for (int i = 0; i < spatial; i++) {
            if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1) {
                throw ctx.error("kernel, strides and dilations must be positive");
            }
        }
        String autoPad = ctx.attrString("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> { }
            case "VALID" -> Arrays.fill(pads, 0);
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < spatial; i++) {
                    long in = inputShape.get(i + 2);
                    long out = Shapes.ceilDiv(in, strides[i]);
                    long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in);
                    long small = total / 2;
                    pads[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    pads[i + spatial] = total - pads[i];
                }
            }
            default -> throw ctx.error("unknown auto_pad '" + autoPad + "'");
        }
        return new Window(kernel, strides, dilations, pads);
    }

    private static long slidingCount(long in, long padBegin, long padEnd, long kernel, long stride, long dilation,
            boolean ceil) {
        long span = in + padBegin + padEnd - ((kernel - 1) * dilation + 1);
        if (span < 0) {
            return 0;
        }
        long out = (ceil ? Shapes.ceilDiv(span, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) {
            // The last window would start inside the end padding: it is dropped.
            out--;
        }
        return out;
    }

    private static void requireSpatial(NodeContext ctx, List<Long> x) {
        if (x.size() < 3) {
            throw ctx.error("input must be [N, C, spatial…], got " + x);
        }
    }

    private static List<Node> conv(NodeContext ctx) {
        List<Long> x = ctx.shape(0);
        List<Long> w = ctx.shape(1);
        requireSpatial(ctx, x);
        if (w.size() != x.size()) {
            throw ctx.error("inconsistent shapes: weight " + w + " and input " + x + " differ in rank");
        }
        long group = ctx.attrInt("group", 1);
        int spatial = x.size() - 2;
        if (group < 1 || x.get(1) != w.get(1) * group || w.get(0) % group != 0) {
            throw ctx.error("inconsistent shapes: input " + x + " has " + x.get(1) + " channels but weight " + w
                    + " with group " + group + " expects " + w.get(1) * group);
        }
        long[] kernel = w.subList(2, w.size()).stream().mapToLong(Long::longValue).toArray();
        List<Long> declared = ctx.attrInts("kernel_shape");
        if (declared != null && !declared.equals(w.subList(2, w.size()))) {
            throw ctx.error("inconsistent shapes: kernel_shape " + declared + " but weight " + w);
        }
        if (ctx.hasInput(2) && !ctx.shape(2).equals(List.of(w.get(0)))) {
            throw ctx.error("inconsistent shapes: bias " + ctx.shape(2) + " for " + w.get(0) + " output channels");
        }
        Window win = window(ctx, x, kernel);
        List<Long> out = new ArrayList<>(List.of(x.get(0), w.get(0)));
        for (int i = 0; i < spatial; i++) {
            long o = slidingCount(x.get(i + 2), win.pads[i], win.pads[i + spatial], kernel[i], win.strides[i],
                    win.dilations[i], false);
            if (o < 1) {
                throw ctx.error("inconsistent shapes: the kernel does not fit input " + x);
            }
            out.add(o);
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Conv", present(ctx, List.of(0, 1, 2)), attrs("group", Attribute.of(group),
                "kernel_shape", ints(kernel), "strides", ints(win.strides), "dilations", ints(win.dilations),
                "pads", ints(win.pads))));
    }

    private static List<Node> convTranspose(NodeContext ctx) {
        List<Long> x = ctx.shape(0);
        List<Long> w = ctx.shape(1);
        requireSpatial(ctx, x);
        long group = ctx.attrInt("group", 1);
        int spatial = x.size() - 2;
        if (w.size() != x.size() || group < 1 || !x.get(1).equals(w.get(0)) || w.get(0) % group != 0) {
            throw ctx.error("inconsistent shapes: input " + x + " and weight " + w + " with group " + group);
        }
        long channels = w.get(1) * group;
        if (ctx.hasInput(2) && !ctx.shape(2).equals(List.of(channels))) {
            throw ctx.error("inconsistent shapes: bias " + ctx.shape(2) + " for " + channels + " output channels");
        }
        long[] kernel = w.subList(2, w.size()).stream().mapToLong(Long::longValue).toArray();
        long[] strides = longs(ctx.attrInts("strides"), spatial, 1, ctx, "strides");
        long[] dilations = longs(ctx.attrInts("dilations"), spatial, 1, ctx, "dilations");
        long[] pads = longs(ctx.attrInts("pads"), 2 * spatial, 0, ctx, "pads");
        long[] outputPadding = longs(ctx.attrInts("output_padding"), spatial, 0, ctx, "output_padding");
        List<Long> outputShape = ctx.attrInts("output_shape");
        String autoPad = ctx.attrString("auto_pad", "NOTSET");
        if (outputShape != null && outputShape.size() == spatial + 2) {
            outputShape = outputShape.subList(2, outputShape.size());
        }
        if (outputShape == null && (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER"))) {
            List<Long> same = new ArrayList<>();
            for (int i = 0; i < spatial; i++) {
                same.add(x.get(i + 2) * strides[i]);
            }
            outputShape = same;
        }
        if (autoPad.equals("VALID")) {
            Arrays.fill(pads, 0);
        }
        if (outputShape != null) {
            if (outputShape.size() != spatial) {
                throw ctx.error("output_shape " + outputShape + " does not have " + spatial + " spatial dimensions");
            }
            for (int i = 0; i < spatial; i++) {
                long total = strides[i] * (x.get(i + 2) - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1
                        - outputShape.get(i);
                if (total < 0) {
                    // The requested output is larger than the full result: the extra is output padding.
                    outputPadding[i] -= total;
                    total = 0;
                }
                long half = total / 2;
                pads[i] = autoPad.equals("SAME_UPPER") ? half : total - half;
                pads[i + spatial] = total - pads[i];
            }
        }
        List<Long> out = new ArrayList<>(List.of(x.get(0), channels));
        for (int i = 0; i < spatial; i++) {
            long o = strides[i] * (x.get(i + 2) - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1
                    - pads[i] - pads[i + spatial];
            if (o < 1) {
                throw ctx.error("inconsistent shapes: the output of input " + x + " would be empty");
            }
            out.add(o);
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "ConvTranspose", present(ctx, List.of(0, 1, 2)), attrs("group", Attribute.of(group),
                "kernel_shape", ints(kernel), "strides", ints(strides), "dilations", ints(dilations),
                "pads", ints(pads), "output_padding", ints(outputPadding))));
    }

    private static List<Node> pool(NodeContext ctx) {
        if (ctx.opType().equals("AveragePool")) {
            onlyFirstOutput(ctx);
        }
        List<Long> x = ctx.shape(0);
        requireSpatial(ctx, x);
        int spatial = x.size() - 2;
        List<Long> k = ctx.attrInts("kernel_shape");
        if (k == null) {
            throw ctx.error("has no kernel_shape");
        }
        long[] kernel = longs(k, spatial, 1, ctx, "kernel_shape");
        Window win = window(ctx, x, kernel);
        boolean ceil = ctx.attrInt("ceil_mode", 0) != 0;
        List<Long> out = new ArrayList<>(List.of(x.get(0), x.get(1)));
        for (int i = 0; i < spatial; i++) {
            long o = slidingCount(x.get(i + 2), win.pads[i], win.pads[i + spatial], kernel[i], win.strides[i],
                    win.dilations[i], ceil);
            if (o < 1) {
                throw ctx.error("inconsistent shapes: the window does not fit input " + x);
            }
            out.add(o);
        }
        ctx.define(0, ctx.dtype(0), out);
        if (ctx.hasOutput(1)) {
            ctx.define(1, DType.INT64, out);
        }
        Map<String, Attribute> a = attrs("kernel_shape", ints(kernel), "strides", ints(win.strides),
                "dilations", ints(win.dilations), "pads", ints(win.pads), "ceil_mode", Attribute.of(ceil ? 1 : 0));
        if (ctx.opType().equals("AveragePool")) {
            a.put("count_include_pad", Attribute.of(ctx.attrInt("count_include_pad", 0)));
        } else {
            a.put("storage_order", Attribute.of(ctx.attrInt("storage_order", 0)));
        }
        return List.of(new Node(ctx.name(), ctx.opType(), List.of(ctx.inputName(0)), namedOutputs(ctx), a));
    }

    private static List<Node> globalAveragePool(NodeContext ctx) {
        List<Long> x = ctx.shape(0);
        requireSpatial(ctx, x);
        List<Long> out = new ArrayList<>(List.of(x.get(0), x.get(1)));
        for (int i = 2; i < x.size(); i++) {
            out.add(1L);
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "GlobalAveragePool", List.of(ctx.inputName(0)), Map.of()));
    }

    // ---- layout ----

    private static List<Node> concat(NodeContext ctx) {
        List<String> inputs = ctx.inputNames();
        int rank = ctx.rank(0);
        int axis = axis(ctx, ctx.attrInt("axis", rank == 1 ? 0 : Long.MIN_VALUE), rank);
        List<Long> out = new ArrayList<>(ctx.shape(0));
        long total = 0;
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (!ctx.hasInput(i)) {
                continue;
            }
            List<Long> s = ctx.shape(i);
            for (int d = 0; d < rank; d++) {
                if (s.size() != rank || (d != axis && !s.get(d).equals(out.get(d)))) {
                    throw ctx.error("inconsistent shapes: " + ctx.shape(0) + " and " + s + " cannot be joined on axis " + axis);
                }
            }
            total += s.get(axis);
        }
        out.set(axis, total);
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Concat", inputs, attrs("axis", Attribute.of(axis))));
    }

    private static List<Node> reshape(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        long[] target = ctx.opset() < 5 ? toArray(ctx.attrInts("shape")) : ctx.constInput(1, "shape").asLongs();
        boolean allowZero = ctx.attrInt("allowzero", 0) != 0;
        long known = 1;
        int inferred = -1;
        long[] out = target.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.size()) {
                    throw ctx.error("shape " + Arrays.toString(target) + " copies dimension " + i + " of " + in
                            + ", which has none");
                }
                out[i] = in.get(i);
            }
            if (out[i] == -1) {
                if (inferred >= 0) {
                    throw ctx.error("shape " + Arrays.toString(target) + " has more than one -1");
                }
                inferred = i;
            } else if (out[i] < 0) {
                throw ctx.error("shape " + Arrays.toString(target) + " has a negative dimension");
            } else {
                known = Math.multiplyExact(known, out[i]);
            }
        }
        long elements = Shapes.elements(in);
        if (inferred >= 0) {
            if (known == 0 || elements % known != 0) {
                throw ctx.error("inconsistent shapes: cannot reshape " + in + " to " + Arrays.toString(target));
            }
            out[inferred] = elements / known;
        } else if (known != elements) {
            throw ctx.error("inconsistent shapes: cannot reshape " + in + " (" + elements + " elements) to "
                    + Arrays.toString(target));
        }
        List<Long> shape = Arrays.stream(out).boxed().toList();
        ctx.define(0, ctx.dtype(0), shape);
        return List.of(node(ctx, "Reshape", List.of(ctx.inputName(0)), attrs("shape", ints(shape))));
    }

    private static long[] toArray(List<Long> values) {
        return values == null ? new long[0] : values.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<Node> flatten(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        long axisAttr = ctx.attrInt("axis", 1);
        int axis = (int) (axisAttr < 0 ? axisAttr + in.size() : axisAttr);
        if (axis < 0 || axis > in.size()) {
            throw ctx.error("axis " + axisAttr + " is out of range for rank " + in.size());
        }
        List<Long> out = List.of(Shapes.elements(in.subList(0, axis)), Shapes.elements(in.subList(axis, in.size())));
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Flatten", List.of(ctx.inputName(0)), attrs("axis", Attribute.of(axis))));
    }

    private static List<Node> transpose(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        List<Long> perm = ctx.attrInts("perm");
        if (perm == null) {
            List<Long> reversed = new ArrayList<>();
            for (int i = rank - 1; i >= 0; i--) {
                reversed.add((long) i);
            }
            perm = reversed;
        }
        if (perm.size() != rank || new TreeSet<>(perm).size() != rank
                || perm.stream().anyMatch(p -> p < 0 || p >= rank)) {
            throw ctx.error("perm " + perm + " is not a permutation of " + rank + " axes");
        }
        List<Long> out = perm.stream().map(p -> in.get(p.intValue())).toList();
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Transpose", List.of(ctx.inputName(0)), attrs("perm", ints(perm))));
    }

    private static List<Long> axesInput(NodeContext ctx, int sinceOpset) {
        if (ctx.opset() < sinceOpset) {
            return ctx.attrInts("axes");
        }
        return ctx.hasInput(1) ? ctx.constInput(1, "axes").asLongList() : null;
    }

    private static List<Node> squeeze(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        List<Long> given = axesInput(ctx, 13);
        TreeSet<Long> axes = new TreeSet<>();
        if (given == null) {
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i) == 1) {
                    axes.add((long) i);
                }
            }
        } else {
            for (long a : given) {
                int n = axis(ctx, a, in.size());
                if (in.get(n) != 1) {
                    throw ctx.error("inconsistent shapes: cannot squeeze axis " + a + " of " + in + ", its size is not 1");
                }
                axes.add((long) n);
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (!axes.contains((long) i)) {
                out.add(in.get(i));
            }
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Squeeze", List.of(ctx.inputName(0)), attrs("axes", ints(List.copyOf(axes)))));
    }

    private static List<Node> unsqueeze(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        List<Long> given = axesInput(ctx, 13);
        if (given == null) {
            throw ctx.error("has no axes");
        }
        int rank = in.size() + given.size();
        TreeSet<Long> axes = new TreeSet<>();
        for (long a : given) {
            if (!axes.add((long) axis(ctx, a, rank))) {
                throw ctx.error("axes " + given + " repeat an axis");
            }
        }
        List<Long> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(axes.contains((long) i) ? 1L : in.get(next++));
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Unsqueeze", List.of(ctx.inputName(0)), attrs("axes", ints(List.copyOf(axes)))));
    }

    private static List<Node> slice(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (ctx.opset() < 10) {
            starts = toArray(ctx.attrInts("starts"));
            ends = toArray(ctx.attrInts("ends"));
            axes = ctx.hasAttribute("axes") ? toArray(ctx.attrInts("axes")) : null;
            steps = null;
        } else {
            starts = ctx.constInput(1, "starts").asLongs();
            ends = ctx.constInput(2, "ends").asLongs();
            axes = ctx.hasInput(3) ? ctx.constInput(3, "axes").asLongs() : null;
            steps = ctx.hasInput(4) ? ctx.constInput(4, "steps").asLongs() : null;
        }
        if (ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw ctx.error("starts, ends, axes and steps differ in length");
        }
        long[] fullStarts = new long[rank];
        long[] fullEnds = in.stream().mapToLong(Long::longValue).toArray();
        long[] fullSteps = new long[rank];
        Arrays.fill(fullSteps, 1);
        List<Long> out = new ArrayList<>(in);
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < starts.length; i++) {
            int a = axis(ctx, axes == null ? i : axes[i], rank);
            if (seen[a]) {
                throw ctx.error("axis " + a + " is sliced twice");
            }
            seen[a] = true;
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw ctx.error("step 0 on axis " + a);
            }
            long[] range = Shapes.sliceRange(in.get(a), starts[i], ends[i], step);
            fullStarts[a] = range[0];
            fullSteps[a] = step;
            fullEnds[a] = range[0] + range[1] * step;
            out.set(a, range[1]);
        }
        long[] allAxes = new long[rank];
        for (int i = 0; i < rank; i++) {
            allAxes[i] = i;
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Slice", List.of(ctx.inputName(0)), attrs("starts", ints(fullStarts),
                "ends", ints(fullEnds), "axes", ints(allAxes), "steps", ints(fullSteps))));
    }

    private static List<Node> split(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int axis = axis(ctx, ctx.attrInt("axis", 0), in.size());
        int outputs = ctx.outputCount();
        List<Long> sizes;
        if (ctx.opset() < 13) {
            sizes = ctx.attrInts("split");
        } else {
            sizes = ctx.hasInput(1) ? ctx.constInput(1, "split").asLongList() : null;
        }
        long dim = in.get(axis);
        if (sizes == null) {
            List<Long> parts = new ArrayList<>();
            long each = ctx.opset() >= 18 ? Shapes.ceilDiv(dim, outputs) : dim / outputs;
            if (ctx.opset() < 18 && dim % outputs != 0) {
                throw ctx.error("inconsistent shapes: dimension " + dim + " does not split into " + outputs + " equal parts");
            }
            long left = dim;
            for (int i = 0; i < outputs; i++) {
                parts.add(Math.min(each, left));
                left -= Math.min(each, left);
            }
            sizes = parts;
        }
        if (sizes.size() != outputs || sizes.stream().mapToLong(Long::longValue).sum() != dim) {
            throw ctx.error("inconsistent shapes: split " + sizes + " does not cover dimension " + dim + " in "
                    + outputs + " outputs");
        }
        for (int i = 0; i < outputs; i++) {
            List<Long> s = new ArrayList<>(in);
            s.set(axis, sizes.get(i));
            if (ctx.hasOutput(i)) {
                ctx.define(i, ctx.dtype(0), s);
            }
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add(ctx.hasOutput(i) ? ctx.outputName(i) : "");
        }
        return List.of(new Node(ctx.name(), "Split", List.of(ctx.inputName(0)), outs,
                attrs("axis", Attribute.of(axis), "split", ints(sizes))));
    }

    private static List<Node> pad(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        String mode = ctx.attrString("mode", "constant");
        if (!Set.of("constant", "reflect", "edge").contains(mode)) {
            throw ctx.error("mode '" + mode + "' is not supported (constant, reflect, edge are)");
        }
        long[] given;
        double value;
        long[] axes = null;
        if (ctx.opset() < 11) {
            given = toArray(ctx.attrInts("pads"));
            value = ctx.attrFloat("value", 0);
        } else {
            given = ctx.constInput(1, "pads").asLongs();
            value = ctx.hasInput(2) ? ctx.constInput(2, "constant_value").realAt(0) : 0;
            if (ctx.hasInput(3)) {
                axes = ctx.constInput(3, "axes").asLongs();
            }
        }
        int n = axes == null ? rank : axes.length;
        if (given.length != 2 * n) {
            throw ctx.error("pads has " + given.length + " values; expected " + 2 * n);
        }
        long[] pads = new long[2 * rank];
        for (int i = 0; i < n; i++) {
            int a = axes == null ? i : axis(ctx, axes[i], rank);
            pads[a] = given[i];
            pads[a + rank] = given[i + n];
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            long o = in.get(i) + pads[i] + pads[i + rank];
            boolean padded = pads[i] > 0 || pads[i + rank] > 0;
            boolean fits = switch (mode) {
                case "reflect" -> !padded || (pads[i] < in.get(i) && pads[i + rank] < in.get(i));
                case "edge" -> !padded || in.get(i) > 0;
                default -> true;
            };
            if (o < 0 || !fits) {
                throw ctx.error("inconsistent shapes: pads " + Arrays.toString(pads) + " do not fit input " + in
                        + " in mode " + mode);
            }
            out.add(o);
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Pad", List.of(ctx.inputName(0)), attrs("pads", ints(pads),
                "mode", Attribute.of(mode), "value", Attribute.of(value))));
    }

    private static List<Node> reduceMean(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        List<Long> given = axesInput(ctx, 18);
        boolean keep = ctx.attrInt("keepdims", 1) != 0;
        TreeSet<Long> axes = new TreeSet<>();
        if (given == null || given.isEmpty()) {
            if (ctx.attrInt("noop_with_empty_axes", 0) == 0) {
                for (long i = 0; i < rank; i++) {
                    axes.add(i);
                }
            }
        } else {
            for (long a : given) {
                axes.add((long) axis(ctx, a, rank));
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!axes.contains((long) i)) {
                out.add(in.get(i));
            } else if (keep) {
                out.add(1L);
            }
        }
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "ReduceMean", List.of(ctx.inputName(0)), attrs("axes", ints(List.copyOf(axes)),
                "keepdims", Attribute.of(keep ? 1 : 0))));
    }

    /**
     * Softmax before opset 13 normalises over all axes from {@code axis} on, as if the input were
     * flattened to 2-D; that becomes Reshape → Softmax(axis 1) → Reshape when more than the last axis
     * is involved.
     */
    private static List<Node> softmax(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        boolean legacy = ctx.opset() < 13;
        int axis = axis(ctx, ctx.attrInt("axis", legacy ? 1 : -1), rank);
        ctx.define(0, ctx.dtype(0), in);
        if (!legacy || axis == rank - 1) {
            return List.of(node(ctx, "Softmax", List.of(ctx.inputName(0)), attrs("axis", Attribute.of(axis))));
        }
        List<Long> flat = List.of(Shapes.elements(in.subList(0, axis)), Shapes.elements(in.subList(axis, rank)));
        String flatIn = ctx.outputName(0) + "/flat";
        String flatOut = ctx.outputName(0) + "/flat_softmax";
        ctx.define(flatIn, ctx.dtype(0), flat);
        ctx.define(flatOut, ctx.dtype(0), flat);
        return List.of(
                new Node(ctx.name() + "/flatten", "Reshape", List.of(ctx.inputName(0)), List.of(flatIn),
                        attrs("shape", ints(flat))),
                new Node(ctx.name(), "Softmax", List.of(flatIn), List.of(flatOut), attrs("axis", Attribute.of(1L))),
                new Node(ctx.name() + "/restore", "Reshape", List.of(flatOut), List.of(ctx.outputName(0)),
                        attrs("shape", ints(in))));
    }

    /** LayerNormalization with its optional Mean and InvStdDev outputs, shaped in[:axis] + [1]·(rank − axis). */
    private static List<Node> layerNormalization(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int axis = axis(ctx, ctx.attrInt("axis", -1), in.size());
        List<Long> normalized = in.subList(axis, in.size());
        for (int i = 1; i <= 2; i++) {
            if (ctx.hasInput(i) && !normalized.equals(Shapes.broadcast(normalized, ctx.shape(i)))) {
                throw ctx.error("inconsistent shapes: " + (i == 1 ? "scale " : "bias ") + ctx.shape(i)
                        + " does not broadcast to the normalised shape " + normalized);
            }
        }
        ctx.define(0, ctx.dtype(0), in);
        List<Long> statistics = new ArrayList<>(in.subList(0, axis));
        while (statistics.size() < in.size()) {
            statistics.add(1L);
        }
        for (int i = 1; i <= 2; i++) {
            if (ctx.hasOutput(i)) {
                ctx.define(i, DType.FLOAT32, statistics);
            }
        }
        return List.of(new Node(ctx.name(), "LayerNormalization", present(ctx, List.of(0, 1, 2)),
                namedOutputs(ctx), attrs("axis", Attribute.of(axis),
                        "epsilon", Attribute.of(ctx.attrFloat("epsilon", 1e-5)))));
    }

    private static List<Node> gather(NodeContext ctx) {
        List<Long> data = ctx.shape(0);
        List<Long> indices = ctx.shape(1);
        int axis = axis(ctx, ctx.attrInt("axis", 0), data.size());
        if (ctx.dtype(1).isFloatingPoint()) {
            throw ctx.error("indices must be integers, not " + ctx.dtype(1).text());
        }
        ConstTensor idx = ctx.constantOrNull(1);
        if (idx != null) {
            for (long i : idx.asLongs()) {
                if (i < -data.get(axis) || i >= data.get(axis)) {
                    throw ctx.error("index " + i + " is out of range for dimension " + data.get(axis));
                }
            }
        }
        List<Long> out = new ArrayList<>(data.subList(0, axis));
        out.addAll(indices);
        out.addAll(data.subList(axis + 1, data.size()));
        ctx.define(0, ctx.dtype(0), out);
        return List.of(node(ctx, "Gather", List.of(ctx.inputName(0), ctx.inputName(1)), attrs("axis", Attribute.of(axis))));
    }
}
