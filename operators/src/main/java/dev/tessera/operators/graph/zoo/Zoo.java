package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The built-in models, built from their published layer tables at batch 1 in float32, validated
 * (every tensor shape known). Weights are declared by shape only.
 *
 * <table>
 *   <caption>Models</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>resnet50</td><td>ResNet-50 v1.5, 224x224</td></tr>
 *   <tr><td>mobilenetv2</td><td>MobileNetV2 1.0, 224x224</td></tr>
 *   <tr><td>inceptionv3</td><td>Inception-v3, 299x299, no auxiliary head</td></tr>
 *   <tr><td>vgg16</td><td>VGG-16 (configuration D), 224x224</td></tr>
 *   <tr><td>bert-base</td><td>BERT-base encoder with embeddings and pooler, sequence 128</td></tr>
 *   <tr><td>mlp, conv-relu, residual-block, attention-block</td><td>small fixtures</td></tr>
 * </table>
 */
public final class Zoo {
    private static final Map<String, Supplier<Graph>> MODELS = new TreeMap<>(Map.of(
            "resnet50", ResNet50::build,
            "mobilenetv2", MobileNetV2::build,
            "inceptionv3", InceptionV3::build,
            "vgg16", Vgg16::build,
            "bert-base", Bert::bertBase,
            "mlp", Fixtures::mlp,
            "conv-relu", Fixtures::convRelu,
            "residual-block", Fixtures::residualBlock,
            "attention-block", Fixtures::attentionBlock));

    private Zoo() {}

    /** The model names, sorted. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    /**
     * Builds model {@code name} afresh (graphs are immutable; building twice gives equal graphs).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Graph build(String name) {
        Supplier<Graph> model = MODELS.get(name);
        if (model == null) {
            throw new IllegalArgumentException("unknown zoo model '" + name + "'; known: " + String.join(", ", names()));
        }
        return model.get();
    }
}
