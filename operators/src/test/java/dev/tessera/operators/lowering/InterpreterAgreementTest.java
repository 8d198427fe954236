package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.OpRegistry;
import dev.tessera.operators.graph.ShapeInference;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.graph.TensorType;
import dev.tessera.operators.reference.FloatTensor;
import dev.tessera.operators.reference.ReferenceInterpreter;
import dev.tessera.operators.reference.Tolerance;
import dev.tessera.operators.reference.WeightSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op family executes: each one-node graph is lowered (and verified), run by the loop-IR
 * interpreter, and compared with the reference interpreter on the same seeded values. Cases cover
 * the attributes that change the loops (stride, padding, dilation, groups, depthwise, broadcasting,
 * transposes, modes) and tile splits forced by the spec (more than 128 channels, more than 512
 * pixels of a PSUM bank).
 */
class InterpreterAgreementTest {
    private static final AcceleratorSpec SPEC = AcceleratorSpec.builtIn("inferentia2");

    /** One input or weight: name, shape, role; integer tensors hold indices below {@code bound}. */
    record In(String name, List<Long> shape, TensorRole role, DType dtype, long bound) {}

    static In x(String name, long... shape) {
        return new In(name, longs(shape), TensorRole.INPUT, DType.FLOAT32, 0);
    }

    static In w(String name, long... shape) {
        return new In(name, longs(shape), TensorRole.WEIGHT, DType.FLOAT32, 0);
    }

    static In idx(String name, long bound, long... shape) {
        return new In(name, longs(shape), TensorRole.INPUT, DType.INT64, bound);
    }

    /** An input of an integer or bool dtype, holding values of that type. */
    static In typed(String name, DType dtype, long... shape) {
        return new In(name, longs(shape), TensorRole.INPUT, dtype, 0);
    }

    static List<Long> longs(long... v) {
        List<Long> out = new ArrayList<>();
        for (long d : v) {
            out.add(d);
        }
        return out;
    }

    static Arguments op(String label, String op, Map<String, Attribute> attrs, int outputs, In... ins) {
        return Arguments.of(label, op, withWindowDefaults(op, attrs, ins[0].shape().size() - 2), outputs, List.of(ins));
    }

    /** The reference interpreter wants strides, dilations and pads spelt out; ONNX defaults are 1, 1 and 0. */
    private static Map<String, Attribute> withWindowDefaults(String op, Map<String, Attribute> attrs, int spatial) {
        if (!List.of("Conv", "ConvTranspose", "MaxPool", "AveragePool").contains(op)) {
            return attrs;
        }
        Map<String, Attribute> out = new java.util.TreeMap<>(attrs);
        long[] ones = new long[spatial];
        java.util.Arrays.fill(ones, 1);
        out.putIfAbsent("strides", Attribute.ints(ones));
        out.putIfAbsent("dilations", Attribute.ints(ones));
        out.putIfAbsent("pads", Attribute.ints(new long[2 * spatial]));
        return out;
    }

    static Stream<Arguments> cases() {
        return Stream.concat(families(), resizeModes());
    }

    /**
     * Resize in every mode, coordinate transformation and nearest rounding the graph IR accepts, on
     * a non-integer upscale (3 x 4 to 5 x 7, by sizes) and a downscale by scales (6 x 5 by 0.5 and 0.7).
     */
    static Stream<Arguments> resizeModes() {
        List<Arguments> out = new ArrayList<>();
        List<String> coordinates = List.of("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                "asymmetric");
        for (String c : coordinates) {
            for (String mode : List.of("nearest", "linear", "cubic")) {
                List<String> rounding = mode.equals("nearest")
                        ? List.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil") : List.of("");
                for (String r : rounding) {
                    Map<String, Attribute> up = new java.util.TreeMap<>(Map.of("mode", Attribute.of(mode),
                            "coordinate_transformation_mode", Attribute.of(c), "sizes", Attribute.ints(1, 2, 5, 7)));
                    if (!r.isEmpty()) {
                        up.put("nearest_mode", Attribute.of(r));
                    }
                    out.add(op("resize " + mode + " " + c + " " + r + " 3x4 to 5x7", "Resize", up, 1,
                            x("x", 1, 2, 3, 4)));
                    Map<String, Attribute> down = new java.util.TreeMap<>(up);
                    down.remove("sizes");
                    down.put("scales", new Attribute.Floats(List.of(1.0, 1.0, 0.5, 0.7)));
                    out.add(op("resize " + mode + " " + c + " " + r + " 6x5 by 0.5, 0.7", "Resize", down, 1,
                            x("x", 1, 1, 6, 5)));
                }
            }
        }
        out.add(op("resize nearest 10 to 13, clamped last: pieces", "Resize", Map.of("mode", Attribute.of("nearest"),
                "coordinate_transformation_mode", Attribute.of("asymmetric"), "nearest_mode", Attribute.of("ceil"),
                "scales", new Attribute.Floats(List.of(1.0, 1.3))), 1, x("x", 2, 10)));
        out.add(op("resize cubic exclude_outside a=-0.5", "Resize", Map.of("mode", Attribute.of("cubic"),
                "exclude_outside", Attribute.of(1), "cubic_coeff_a", Attribute.of(-0.5), "scales",
                new Attribute.Floats(List.of(1.0, 2.0, 1.5))), 1, x("x", 2, 3, 4)));
        out.add(op("resize linear x3, 130 channels: partition tiles of 128 and 2", "Resize", Map.of("mode",
                Attribute.of("linear"), "scales", new Attribute.Floats(List.of(1.0, 1.0, 3.0))), 1, x("x", 1, 130, 40)));
        return out.stream();
    }

    static Stream<Arguments> families() {
        return Stream.of(
                op("conv stride 2 pad 1 bias", "Conv", Map.of("strides", Attribute.ints(2, 2), "pads",
                        Attribute.ints(1, 1, 1, 1)), 1, x("x", 1, 3, 7, 7), w("w", 4, 3, 3, 3), w("b", 4)),
                op("conv groups 2 dilation 2", "Conv", Map.of("group", Attribute.of(2), "dilations",
                        Attribute.ints(2, 2), "pads", Attribute.ints(2, 2, 2, 2)), 1, x("x", 1, 4, 6, 6),
                        w("w", 6, 2, 3, 3)),
                op("conv depthwise", "Conv", Map.of("group", Attribute.of(3), "pads", Attribute.ints(1, 0, 1, 2)), 1,
                        x("x", 2, 3, 5, 4), w("w", 3, 1, 3, 3)),
                op("conv 1-d", "Conv", Map.of("strides", Attribute.ints(3)), 1, x("x", 1, 2, 11), w("w", 3, 2, 2)),
                op("conv 130 channels: K and M split", "Conv", Map.of(), 1, x("x", 1, 130, 3, 3), w("w", 130, 130, 1, 1)),
                op("conv 576 pixels: PSUM bank split", "Conv", Map.of("pads", Attribute.ints(1, 1, 1, 1)), 1,
                        x("x", 1, 1, 24, 24), w("w", 2, 1, 3, 3)),
                op("conv transpose stride 2 pad 1", "ConvTranspose", Map.of("strides", Attribute.ints(2, 2), "pads",
                        Attribute.ints(1, 1, 1, 1)), 1, x("x", 1, 3, 4, 4), w("w", 3, 2, 3, 3), w("b", 2)),
                op("matmul batched broadcast", "MatMul", Map.of(), 1, x("a", 2, 3, 4), w("b", 4, 5)),
                op("matmul vector", "MatMul", Map.of(), 1, x("a", 4), x("b", 2, 4, 3)),
                op("matmul 130 x 520: M and N split", "MatMul", Map.of(), 1, x("a", 130, 3), w("b", 3, 520)),
                op("gemm transB alpha beta bias", "Gemm", Map.of("transB", Attribute.of(1), "alpha", Attribute.of(0.5),
                        "beta", Attribute.of(2.0)), 1, x("a", 3, 4), w("b", 5, 4), w("c", 5)),
                op("gemm transA", "Gemm", Map.of("transA", Attribute.of(1)), 1, x("a", 4, 3), w("b", 4, 2)),
                op("maxpool stride 2 pad 1 ceil", "MaxPool", Map.of("kernel_shape", Attribute.ints(3, 3), "strides",
                        Attribute.ints(2, 2), "pads", Attribute.ints(1, 1, 1, 1), "ceil_mode", Attribute.of(1)), 1,
                        x("x", 1, 2, 6, 6)),
                op("avgpool exclude pad", "AveragePool", Map.of("kernel_shape", Attribute.ints(3, 3), "pads",
                        Attribute.ints(1, 1, 1, 1)), 1, x("x", 1, 2, 5, 5)),
                op("avgpool include pad", "AveragePool", Map.of("kernel_shape", Attribute.ints(2, 2), "pads",
                        Attribute.ints(1, 1, 0, 0), "count_include_pad", Attribute.of(1)), 1, x("x", 1, 2, 4, 4)),
                op("global average pool", "GlobalAveragePool", Map.of(), 1, x("x", 1, 3, 4, 5)),
                op("relu", "Relu", Map.of(), 1, x("x", 2, 3, 4)),
                op("sigmoid", "Sigmoid", Map.of(), 1, x("x", 5, 6)),
                op("tanh", "Tanh", Map.of(), 1, x("x", 5, 6)),
                op("erf", "Erf", Map.of(), 1, x("x", 5, 6)),
                op("gelu", "Gelu", Map.of(), 1, x("x", 5, 6)),
                op("gelu tanh", "Gelu", Map.of("approximate", Attribute.of("tanh")), 1, x("x", 5, 6)),
                op("hard swish", "HardSwish", Map.of(), 1, x("x", 5, 6)),
                op("hard sigmoid", "HardSigmoid", Map.of("alpha", Attribute.of(0.3)), 1, x("x", 5, 6)),
                op("leaky relu", "LeakyRelu", Map.of("alpha", Attribute.of(0.1)), 1, x("x", 5, 6)),
                op("clip", "Clip", Map.of("min", Attribute.of(-0.5), "max", Attribute.of(0.25)), 1, x("x", 5, 6)),
                op("sqrt", "Sqrt", Map.of(), 1, w("x", 5, 6)),
                op("add broadcast", "Add", Map.of(), 1, x("a", 2, 3, 4), x("b", 4)),
                op("sub broadcast both", "Sub", Map.of(), 1, x("a", 2, 1, 4), x("b", 3, 1)),
                op("mul", "Mul", Map.of(), 1, x("a", 3, 4), x("b", 3, 4)),
                op("div", "Div", Map.of(), 1, x("a", 3, 4), w("b", 1, 4)),
                op("pow", "Pow", Map.of(), 1, w("a", 3, 4), x("b", 3, 4)),
                op("max variadic", "Max", Map.of(), 1, x("a", 3, 4), x("b", 4), x("c", 3, 1)),
                op("min", "Min", Map.of(), 1, x("a", 3, 4), x("b", 3, 4)),
                op("batch norm", "BatchNormalization", Map.of("epsilon", Attribute.of(1e-3)), 1, x("x", 1, 3, 4, 4),
                        w("scale", 3), w("bias", 3), w("mean", 3), w("var", 3)),
                op("reduce mean", "ReduceMean", Map.of("axes", Attribute.ints(1), "keepdims", Attribute.of(0)), 1,
                        x("x", 2, 5, 3)),
                op("softmax", "Softmax", Map.of("axis", Attribute.of(1)), 1, x("x", 3, 7, 2)),
                op("layer norm", "LayerNormalization", Map.of("axis", Attribute.of(2)), 1, x("x", 2, 3, 8),
                        w("scale", 8), w("bias", 8)),
                op("softmax, row of 20000 split in chunks", "Softmax", Map.of("axis", Attribute.of(1)), 1,
                        x("x", 2, 20000)),
                op("reduce mean over all axes, split rows", "ReduceMean", Map.of("keepdims", Attribute.of(1)), 1,
                        x("x", 3, 7000)),
                op("reduce mean, negative axis, no-op with empty axes", "ReduceMean", Map.of("axes", Attribute.ints(-1)),
                        1, x("x", 2, 3, 4)),
                op("global average pool, 130 x 130 plane split", "GlobalAveragePool", Map.of(), 1, x("x", 1, 2, 130, 130)),
                op("layer norm over two axes, split rows", "LayerNormalization", Map.of("axis", Attribute.of(1)), 1,
                        x("x", 2, 3, 4000), w("scale", 3, 4000), w("bias", 3, 4000)),
                op("layer norm without bias, negative axis", "LayerNormalization", Map.of("axis", Attribute.of(-2)), 1,
                        x("x", 3, 2, 5), w("scale", 2, 5)),
                op("slice with a negative axis and start, default steps", "Slice", Map.of("starts", Attribute.ints(-3),
                        "ends", Attribute.ints(100), "axes", Attribute.ints(-1)), 1, x("x", 2, 5)),
                op("split in equal parts on a negative axis", "Split", Map.of("axis", Attribute.of(-1)), 3,
                        x("x", 2, 7)),
                op("concat", "Concat", Map.of("axis", Attribute.of(1)), 1, x("a", 2, 3), x("b", 2, 2)),
                op("split", "Split", Map.of("axis", Attribute.of(1), "split", Attribute.ints(1, 3)), 2, x("x", 2, 4)),
                op("pad constant", "Pad", Map.of("pads", Attribute.ints(1, 0, 0, 2), "value", Attribute.of(0.5)), 1,
                        x("x", 2, 3)),
                op("pad reflect", "Pad", Map.of("pads", Attribute.ints(1, 2, 1, 1), "mode", Attribute.of("reflect")), 1,
                        x("x", 3, 4)),
                op("pad edge", "Pad", Map.of("pads", Attribute.ints(2, 0, 1, 1), "mode", Attribute.of("edge")), 1,
                        x("x", 3, 4)),
                op("pad wrap wider than the input", "Pad", Map.of("pads", Attribute.ints(1, 5, 2, 1), "mode", Attribute.of("wrap")), 1,
                        x("x", 3, 4)),
                op("reshape", "Reshape", Map.of("shape", Attribute.ints(3, -1)), 1, x("x", 2, 3, 2)),
                op("flatten", "Flatten", Map.of("axis", Attribute.of(2)), 1, x("x", 2, 3, 2, 2)),
                op("squeeze", "Squeeze", Map.of("axes", Attribute.ints(1)), 1, x("x", 2, 1, 3)),
                op("unsqueeze", "Unsqueeze", Map.of("axes", Attribute.ints(0, 3)), 1, x("x", 2, 3)),
                op("transpose", "Transpose", Map.of("perm", Attribute.ints(2, 0, 1)), 1, x("x", 2, 3, 4)),
                op("slice step 2 clamped end", "Slice", Map.of("starts", Attribute.ints(1, 1), "ends",
                        Attribute.ints(3, 6), "axes", Attribute.ints(0, 1), "steps", Attribute.ints(1, 2)), 1,
                        x("x", 4, 6)),
                op("resize nearest x2", "Resize", Map.of("scales", new Attribute.Floats(List.of(1.0, 1.0, 2.0, 2.0))), 1,
                        x("x", 1, 1, 3, 2)),
                op("gather rows", "Gather", Map.of("axis", Attribute.of(0)), 1, w("table", 6, 4), idx("ids", 6, 2, 3)),
                op("maxpool with indices, dilation 2", "MaxPool", Map.of("kernel_shape", Attribute.ints(2, 2), "strides",
                        Attribute.ints(2, 1), "pads", Attribute.ints(1, 0, 1, 1), "dilations", Attribute.ints(1, 2)), 2,
                        x("x", 2, 3, 5, 6)),
                op("maxpool 1-d with indices, 130 channels", "MaxPool", Map.of("kernel_shape", Attribute.ints(3)), 2,
                        x("x", 1, 130, 5)),
                op("concat bool", "Concat", Map.of("axis", Attribute.of(0)), 1, typed("a", DType.BOOL, 2, 3),
                        typed("b", DType.BOOL, 1, 3)),
                op("transpose int8", "Transpose", Map.of("perm", Attribute.ints(1, 0)), 1, typed("x", DType.INT8, 3, 5)),
                op("reshape uint8", "Reshape", Map.of("shape", Attribute.ints(5, 3)), 1, typed("x", DType.UINT8, 3, 5)),
                op("max int8 broadcast", "Max", Map.of(), 1, typed("a", DType.INT8, 3, 4), typed("b", DType.INT8, 4)),
                op("add int32", "Add", Map.of(), 1, typed("a", DType.INT32, 3, 4), typed("b", DType.INT32, 3, 4)),
                op("gather from an int8 table with int32 indices", "Gather", Map.of("axis", Attribute.of(1)), 1,
                        typed("table", DType.INT8, 3, 5), new In("ids", longs(4), TensorRole.INPUT, DType.INT32, 5)),
                op("conv 3-d stride 2 pad 1", "Conv", Map.of("strides", Attribute.ints(2, 1, 2), "pads",
                        Attribute.ints(1, 0, 1, 1, 1, 0)), 1, x("x", 1, 2, 4, 3, 5), w("w", 3, 2, 3, 2, 3)),
                op("maxpool 3-d", "MaxPool", Map.of("kernel_shape", Attribute.ints(2, 2, 2)), 1, x("x", 1, 2, 3, 4, 3)),
                op("avgpool ceil, dilation 2", "AveragePool", Map.of("kernel_shape", Attribute.ints(2, 2), "strides",
                        Attribute.ints(2, 2), "dilations", Attribute.ints(2, 1), "ceil_mode", Attribute.of(1)), 1,
                        x("x", 1, 2, 7, 6)),
                op("conv transpose groups 2, output_padding", "ConvTranspose", Map.of("group", Attribute.of(2),
                        "strides", Attribute.ints(2, 2), "output_padding", Attribute.ints(1, 0)), 1,
                        x("x", 1, 4, 3, 3), w("w", 4, 1, 2, 2)),
                op("matmul vector . vector", "MatMul", Map.of(), 1, x("a", 5), w("b", 5)),
                op("gemm scalar bias", "Gemm", Map.of(), 1, x("a", 3, 4), w("b", 4, 2), w("c", 1)),
                op("reduce mean keepdims 0 over the middle axis", "ReduceMean", Map.of("axes",
                        Attribute.ints(1), "keepdims", Attribute.of(0)), 1, x("x", 2, 4, 3)),
                op("transpose default perm", "Transpose", Map.of(), 1, x("x", 2, 3, 4)),
                op("slice negative step", "Slice", Map.of("starts", Attribute.ints(-1, 4), "ends", Attribute.ints(-100, 0),
                        "steps", Attribute.ints(-1, -2)), 1, x("x", 3, 5)),
                op("pad edge with a negative pad", "Pad", Map.of("pads", Attribute.ints(-1, 2, 1, 0), "mode",
                        Attribute.of("edge")), 1, x("x", 3, 4)),
                op("identity", "Identity", Map.of(), 1, x("x", 3, 4)),
                op("cast float to int32 (toward zero)", "Cast", Map.of("to", Attribute.of(6)), 1, x("x", 3, 4)),
                op("cast float to bool", "Cast", Map.of("to", Attribute.of(9)), 1, x("x", 3, 4)),
                op("cast int8 to float", "Cast", Map.of("to", Attribute.of(1)), 1, typed("x", DType.INT8, 3, 4)),
                op("pad bool", "Pad", Map.of("pads", Attribute.ints(1, 1, 0, 2)), 1, typed("x", DType.BOOL, 2, 3)));
    }

    /**
     * NaN cast to an integer type is 0 in both interpreters (Java's {@code (long) NaN}); the seeded
     * values above hold no NaN, so this case spells its input out.
     */
    @ParameterizedTest(name = "to {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"int32", "int64", "int8", "uint8"})
    void castOfNanToAnIntegerIsZeroInBothInterpreters(String to) {
        DType target = DType.parse(to);
        long code = switch (target) {
            case INT32 -> 6;
            case INT64 -> 7;
            case INT8 -> 3;
            default -> 2;
        };
        Graph g = GraphValidator.validate(dev.tessera.operators.graph.GraphText.parse("graph \"g\"\n"
                + "tensor \"x\" float32 input [4]\n"
                + "tensor \"y\" " + to + " output ?\n"
                + "node \"c\" Cast (\"x\") -> (\"y\") to=" + code + "\n"), GraphLimits.DEFAULTS);
        float[] x = {Float.NaN, 2.75f, -Float.NaN, 1f};
        float[] expected = ReferenceInterpreter.run(g, WeightSource.EMPTY, Map.of("x", FloatTensor.of(List.of(4L), x)))
                .get("y").toArray();
        float[] actual = LoopInterpreter.run(Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS), Map.of("x", x)).get("y");
        assertEquals(List.of(0f, 2f, 0f, 1f), boxed(expected), "reference");
        assertEquals(boxed(expected), boxed(actual), "loop interpreter");
    }

    private static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    /** Every op the graph IR accepts, and every dtype, has at least one case above. */
    @Test
    void everyAcceptedOpAndDtypeHasACase() {
        java.util.Set<String> ops = new java.util.TreeSet<>();
        java.util.Set<DType> dtypes = java.util.EnumSet.noneOf(DType.class);
        cases().forEach(a -> {
            ops.add((String) a.get()[1]);
            for (Object in : (List<?>) a.get()[4]) {
                dtypes.add(((In) in).dtype());
            }
        });
        java.util.List<String> missing = new ArrayList<>(OpRegistry.supportedOps());
        missing.removeAll(ops);
        assertEquals(List.of(), missing, "accepted ops without an interpreter-agreement case");
        java.util.Set<DType> missingTypes = java.util.EnumSet.allOf(DType.class);
        missingTypes.removeAll(dtypes);
        missingTypes.removeAll(java.util.EnumSet.of(DType.FLOAT16, DType.BFLOAT16));
        assertEquals(java.util.Set.of(), missingTypes, "dtypes without a case (float16/bfloat16 store as the compile's"
                + " float type)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loopInterpreterAgreesWithTheReference(String label, String op, Map<String, Attribute> attrs, int outputs,
            List<In> ins) {
        agree(SPEC, label, op, attrs, outputs, ins);
    }

    /**
     * Linear and cubic Resize cut into output blocks, each loading its input halo: forced on small
     * shapes by shrinking a partition's SBUF share (the spec's sbuf bytes, second argument). Example:
     * 16² → 32² in 4 KiB gives four blocks of 8 output rows × 32 columns.
     */
    static Stream<Arguments> resizeBlocks() {
        return Stream.of(
                Arguments.of(4096, op("resize linear 16x16 to 32x32, 2 channels: blocks of 8 rows", "Resize",
                        Map.of("mode", Attribute.of("linear"), "scales",
                                new Attribute.Floats(List.of(1.0, 1.0, 2.0, 2.0))), 1, x("x", 1, 2, 16, 16))),
                Arguments.of(1024, op("resize linear 200 to 400: blocks of 100", "Resize", Map.of("mode",
                        Attribute.of("linear"), "scales", new Attribute.Floats(List.of(1.0, 2.0))), 1, x("x", 2, 200))),
                Arguments.of(1024, op("resize linear 4x64 to 8x128: single rows in two column blocks", "Resize",
                        Map.of("mode", Attribute.of("linear"), "coordinate_transformation_mode",
                                Attribute.of("align_corners"), "scales",
                                new Attribute.Floats(List.of(1.0, 1.0, 2.0, 2.0))), 1, x("x", 1, 1, 4, 64))),
                Arguments.of(2048, op("resize cubic 12x20 by 1.5, 2: period 3 across blocks", "Resize",
                        Map.of("mode", Attribute.of("cubic"), "scales",
                                new Attribute.Floats(List.of(1.0, 1.0, 1.5, 2.0))), 1, x("x", 1, 2, 12, 20))),
                Arguments.of(512, op("resize cubic 20x24 by 0.5, 0.7, exclude_outside", "Resize",
                        Map.of("mode", Attribute.of("cubic"), "exclude_outside", Attribute.of(1), "scales",
                                new Attribute.Floats(List.of(1.0, 1.0, 0.5, 0.7))), 1, x("x", 1, 1, 20, 24))));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("resizeBlocks")
    void resizeInOutputBlocksAgreesWithTheReference(int sbufBytes, Arguments c) {
        Object[] a = c.get();
        AcceleratorSpec spec = new AcceleratorSpec(SPEC.name(), SPEC.version(), SPEC.description(), SPEC.assumptions(),
                SPEC.referenceClock(), new AcceleratorSpec.Memory(SPEC.partitions(), sbufBytes), SPEC.psum(),
                SPEC.partitionStartRules(), SPEC.maxFreeDims(), SPEC.tensorEngine(), SPEC.vectorEngine(),
                SPEC.scalarEngine(), SPEC.dma(), SPEC.dramBytes());
        @SuppressWarnings("unchecked")
        Map<String, Attribute> attrs = (Map<String, Attribute>) a[2];
        @SuppressWarnings("unchecked")
        List<In> ins = (List<In>) a[4];
        LoopProgram whole = agree(SPEC, (String) a[0], (String) a[1], attrs, (Integer) a[3], ins);
        LoopProgram blocked = agree(spec, (String) a[0], (String) a[1], attrs, (Integer) a[3], ins);
        assertTrue(blocked.statements().size() > whole.statements().size(), a[0] + ": the small spec forces blocks");
    }

    private static LoopProgram agree(AcceleratorSpec spec, String label, String op, Map<String, Attribute> attrs,
            int outputs, List<In> ins) {
        List<Tensor> tensors = new ArrayList<>();
        List<String> inputNames = new ArrayList<>();
        for (In in : ins) {
            tensors.add(new Tensor(in.name(), in.shape(), in.dtype(), in.role()));
            inputNames.add(in.name());
        }
        List<String> outs = new ArrayList<>();
        List<TensorType> inTypes = new ArrayList<>();
        for (In in : ins) {
            inTypes.add(new TensorType(in.shape(), in.dtype()));
        }
        for (int i = 0; i < outputs; i++) {
            outs.add("y" + i);
        }
        Node node = new Node("node", op, inputNames, outs, attrs);
        List<TensorType> outTypes = ShapeInference.infer(label, node, inTypes);
        for (int i = 0; i < outputs; i++) {
            tensors.add(new Tensor("y" + i, null, outTypes.get(i).dtype(), TensorRole.OUTPUT));
        }
        Graph g = GraphValidator.validate(new Graph(label, tensors, List.of(node)), GraphLimits.DEFAULTS);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, FloatTensor> inputs = new LinkedHashMap<>();
        Map<String, float[]> weights = new LinkedHashMap<>();
        long seed = 7;
        for (In in : ins) {
            float[] v = values(in, seed++, op);
            values.put(in.name(), v);
            if (in.role() == TensorRole.INPUT) {
                inputs.put(in.name(), FloatTensor.of(in.shape(), v));
            } else {
                weights.put(in.name(), v);
            }
        }
        Map<String, FloatTensor> expected = op.equals("Gelu")
                ? Map.of("y0", gelu(inputs.get("x"), attrs.containsKey("approximate")))
                : ReferenceInterpreter.run(g, new MapWeights(weights), inputs);
        LoopProgram p = Lowering.lower(g, spec, LoweringOptions.DEFAULTS);
        Map<String, float[]> actual = LoopInterpreter.run(p, values);
        for (String o : outs) {
            FloatTensor e = expected.get(o);
            Tolerance.Comparison c = Tolerance.DEFAULT.compare(FloatTensor.of(e.shapeList(), actual.get(o)), e);
            assertTrue(c.passed(), label + ": output " + o + " differs: " + c);
        }
        return p;
    }

    /**
     * Gelu, which the reference interpreter does not compute: {@code x/2 · (1 + erf(x/√2))} with erf
     * by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), or the tanh form.
     */
    private static FloatTensor gelu(FloatTensor x, boolean tanh) {
        float[] v = x.toArray();
        for (int i = 0; i < v.length; i++) {
            double a = v[i];
            if (tanh) {
                v[i] = (float) (0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a * a * a))));
            } else {
                double z = Math.abs(a) / Math.sqrt(2);
                double t = 1 / (1 + 0.3275911 * z);
                double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                        + t * 1.061405429)))) * Math.exp(-z * z);
                v[i] = (float) (0.5 * a * (1 + Math.signum(a) * erf));
            }
        }
        return FloatTensor.of(x.shapeList(), v);
    }

    /**
     * Weights positive where the op needs them (square roots, variances, powers' bases); Cast's
     * floats span [-10, 10) so truncation toward zero is exercised on both signs.
     */
    private static float[] values(In in, long seed, String op) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(in.shape().stream().reduce(1L, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            if (in.bound() > 0) {
                v[i] = r.nextInt((int) -in.bound(), (int) in.bound());
            } else if (!in.dtype().isFloatingPoint()) {
                v[i] = switch (in.dtype()) {
                    case BOOL -> r.nextInt(2);
                    case UINT8 -> r.nextInt(256);
                    case INT8 -> r.nextInt(-128, 128);
                    default -> r.nextInt(-1000, 1000);
                };
            } else if (in.role() == TensorRole.WEIGHT && (op.equals("Sqrt") || op.equals("Pow") || op.equals("Div")
                    || in.name().equals("var"))) {
                v[i] = (float) (0.5 + r.nextDouble());
            } else if (op.equals("Cast")) {
                v[i] = (float) (r.nextDouble() * 20 - 10);
            } else {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        return v;
    }

    private record MapWeights(Map<String, float[]> values) implements WeightSource {
        @Override
        public List<String> names() {
            return List.copyOf(values.keySet());
        }

        @Override
        public boolean contains(String name) {
            return values.containsKey(name);
        }

        @Override
        public float[] read(String name) {
            return values.get(name).clone();
        }
    }
}
