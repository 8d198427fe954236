package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The op types the graph IR accepts, with their arity, attribute names and shape rules. Names
 * follow ONNX; an op outside this list is rejected by {@link GraphValidator}.
 */
public final class OpRegistry {
    private static final int VARIADIC = Integer.MAX_VALUE;
    private static final Map<String, OpSpec> SPECS = build();

    private OpRegistry() {}

    /** The supported op types, sorted. */
    public static List<String> supportedOps() {
        return List.copyOf(SPECS.keySet());
    }

    public static boolean isSupported(String opType) {
        return SPECS.containsKey(opType);
    }

    /** The attribute names op {@code opType} accepts, sorted; empty for an unsupported op. */
    public static List<String> attributeNames(String opType) {
        OpSpec spec = SPECS.get(opType);
        return spec == null ? List.of() : List.copyOf(spec.attributes());
    }

    static Optional<OpSpec> spec(String opType) {
        return Optional.ofNullable(SPECS.get(opType));
    }

    private static Map<String, OpSpec> build() {
        TreeMap<String, OpSpec> m = new TreeMap<>();
        List<String> window = List.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        add(m, OpSpec.of("Conv", 2, 3, window, ConvShapes::conv));
        add(m, OpSpec.of("ConvTranspose", 2, 3, concat(window, List.of("output_padding", "output_shape")),
                ConvShapes::convTranspose));
        add(m, OpSpec.of("MaxPool", 1, 1, List.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                "storage_order", "strides"), ConvShapes::pool).withOutputs(1, 2));
        add(m, OpSpec.of("AveragePool", 1, 1, List.of("auto_pad", "ceil_mode", "count_include_pad", "dilations",
                "kernel_shape", "pads", "strides"), ConvShapes::pool));
        add(m, OpSpec.of("GlobalAveragePool", 1, 1, List.of(), ConvShapes::globalPool));

        add(m, OpSpec.of("Gemm", 2, 3, List.of("alpha", "beta", "transA", "transB"), MatrixShapes::gemm));
        add(m, OpSpec.of("MatMul", 2, 2, List.of(), MatrixShapes::matMul));

        add(m, OpSpec.of("BatchNormalization", 5, 5, List.of("epsilon", "momentum", "training_mode"),
                NormShapes::batchNorm));
        add(m, OpSpec.of("LayerNormalization", 2, 3, List.of("axis", "epsilon", "stash_type"),
                NormShapes::layerNorm));
        add(m, OpSpec.of("Softmax", 1, 1, List.of("axis"), NormShapes::softmax));
        add(m, OpSpec.of("ReduceMean", 1, 1, List.of("axes", "keepdims", "noop_with_empty_axes"),
                NormShapes::reduceMean));

        for (String unary : List.of("Relu", "Sigmoid", "HardSwish", "Tanh", "Erf", "Sqrt")) {
            add(m, OpSpec.of(unary, 1, 1, List.of(), ElementwiseShapes::unary));
        }
        add(m, OpSpec.of("Identity", 1, 1, List.of(), ElementwiseShapes::unary));
        add(m, OpSpec.of("Cast", 1, 1, List.of("saturate", "to"), ElementwiseShapes::cast));
        add(m, OpSpec.of("LeakyRelu", 1, 1, List.of("alpha"), ElementwiseShapes::leakyRelu));
        add(m, OpSpec.of("HardSigmoid", 1, 1, List.of("alpha", "beta"), ElementwiseShapes::hardSigmoid));
        add(m, OpSpec.of("Gelu", 1, 1, List.of("approximate"), ElementwiseShapes::gelu));
        add(m, OpSpec.of("Clip", 1, 1, List.of("max", "min"), ElementwiseShapes::clip));
        for (String binary : List.of("Add", "Sub", "Mul", "Div", "Pow")) {
            add(m, OpSpec.of(binary, 2, 2, List.of(), ElementwiseShapes::broadcast));
        }
        for (String variadic : List.of("Max", "Min")) {
            add(m, OpSpec.of(variadic, 1, VARIADIC, List.of(), ElementwiseShapes::broadcast));
        }

        add(m, OpSpec.of("Concat", 1, VARIADIC, List.of("axis"), TensorShapes::concat));
        add(m, OpSpec.of("Reshape", 1, 1, List.of("allowzero", "shape"), TensorShapes::reshape));
        add(m, OpSpec.of("Flatten", 1, 1, List.of("axis"), TensorShapes::flatten));
        add(m, OpSpec.of("Transpose", 1, 1, List.of("perm"), TensorShapes::transpose));
        add(m, OpSpec.of("Squeeze", 1, 1, List.of("axes"), TensorShapes::squeeze));
        add(m, OpSpec.of("Unsqueeze", 1, 1, List.of("axes"), TensorShapes::unsqueeze));
        add(m, OpSpec.of("Slice", 1, 1, List.of("axes", "ends", "starts", "steps"), TensorShapes::slice));
        add(m, OpSpec.of("Split", 1, 1, List.of("axis", "num_outputs", "split"), TensorShapes::split)
                .withOutputs(1, VARIADIC));
        add(m, OpSpec.of("Pad", 1, 1, List.of("mode", "pads", "value"), TensorShapes::pad));
        add(m, OpSpec.of("Gather", 2, 2, List.of("axis"), TensorShapes::gather));
        add(m, OpSpec.of("Resize", 1, 1, List.of("antialias", "coordinate_transformation_mode", "cubic_coeff_a",
                "exclude_outside", "extrapolation_value", "keep_aspect_ratio_policy", "mode", "nearest_mode",
                "scales", "sizes"), TensorShapes::resize));
        return Collections.unmodifiableSortedMap(m);
    }

    private static void add(Map<String, OpSpec> m, OpSpec spec) {
        m.put(spec.opType(), spec);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
