package dev.tessera.operators.graph;

import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.InvalidModelException;
import java.util.List;

/**
 * Infers the output types of one node from its input types, following ONNX semantics for every op
 * in {@link OpRegistry#supportedOps()}. Before the op's own rule runs, it checks what every op
 * shares: a supported op type, the number of inputs and outputs, and that every attribute name is
 * one the op knows (a misspelt attribute is an error, not a silent default).
 */
public final class ShapeInference {
    private ShapeInference() {}

    /**
     * The types of {@code node}'s outputs, in order.
     *
     * @param model  the model's name, used in error messages
     * @param inputs the types of the node's inputs in order; null for an absent optional input
     *               (an empty input name)
     * @throws InvalidModelException naming the model, the node and what is wrong
     */
    public static List<TensorType> infer(String model, Node node, List<TensorType> inputs) {
        OpContext c = new OpContext(model, node, inputs);
        OpSpec spec = OpRegistry.spec(node.opType()).orElseThrow(() -> c.fail(
                "unknown op type '" + node.opType() + "'; supported: " + String.join(", ", OpRegistry.supportedOps())));
        checkCount(c, "inputs", inputs.size(), spec.minInputs(), spec.maxInputs());
        checkCount(c, "outputs", node.outputs().size(), spec.minOutputs(), spec.maxOutputs());
        for (int i = 0; i < spec.minInputs(); i++) {
            if (inputs.get(i) == null) {
                throw c.fail("required input " + i + " is missing (empty name)");
            }
        }
        for (String name : node.attributes().keySet()) {
            if (!spec.attributes().contains(name)) {
                throw c.fail("unknown attribute '" + name + "'; " + node.opType() + " accepts "
                        + (spec.attributes().isEmpty() ? "none" : String.join(", ", spec.attributes())));
            }
        }
        List<TensorType> outputs;
        try {
            outputs = spec.rule().infer(c);
        } catch (ArithmeticException e) {
            // Only absurd attribute values or sizes get here: the validator has bounded every input.
            throw c.fail("the output shape overflows 64-bit arithmetic; check the sizes and attribute values");
        }
        if (outputs.size() != node.outputs().size()) {
            throw new InternalCompilerError("shape rule of " + node.opType() + " gave " + outputs.size()
                    + " output types for the " + node.outputs().size() + " outputs of node '" + node.name()
                    + "' in model '" + model + "'");
        }
        return List.copyOf(outputs);
    }

    private static void checkCount(OpContext c, String what, int actual, int min, int max) {
        if (actual < min || actual > max) {
            String expected = min == max ? String.valueOf(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            throw c.fail("has " + actual + " " + what + ", expected " + expected);
        }
    }
}
