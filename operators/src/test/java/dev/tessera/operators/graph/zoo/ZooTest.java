package dev.tessera.operators.graph.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zoo's structure against the published layer tables. */
class ZooTest {
    @Test
    void namesAreSortedAndUnknownOnesAreListed() {
        assertThat(Zoo.names()).containsExactly("attention-block", "bert-base", "conv-relu", "inceptionv3", "mlp",
                "mobilenetv2", "residual-block", "resnet50", "vgg16");
        assertThatThrownBy(() -> Zoo.build("resnet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown zoo model 'resnet'; known: attention-block, bert-base, conv-relu, inceptionv3, mlp,"
                        + " mobilenetv2, residual-block, resnet50, vgg16");
    }

    @Test
    void everyModelIsValidatedBatchOneAndFloat32() {
        for (String name : Zoo.names()) {
            Graph g = Zoo.build(name);
            assertThat(g.name()).isEqualTo(name);
            assertThat(GraphValidator.validate(g, GraphLimits.DEFAULTS)).as(name).isEqualTo(g);
            for (Tensor t : g.tensors()) {
                if (t.role() == TensorRole.INPUT) {
                    assertThat(t.shape().get(0)).as(t.name()).isEqualTo(1L);
                }
                if (t.role() != TensorRole.INPUT) {
                    assertThat(t.dtype()).as(t.name()).isEqualTo(DType.FLOAT32);
                }
            }
        }
    }

    @Test
    void resnet50() {
        Graph g = Zoo.build("resnet50");
        assertThat(count(g, "Conv")).isEqualTo(53); // 1 stem + 16 x 3 bottleneck + 4 projections
        assertThat(count(g, "BatchNormalization")).isEqualTo(53);
        assertThat(count(g, "Gemm")).isEqualTo(1);
        // v1.5: the stride sits on the 3x3 convolution of a stage's first block
        assertThat(node(g, "layer2.0.conv1").attributes().get("strides")).isEqualTo(Attribute.ints(1, 1));
        assertThat(node(g, "layer2.0.conv2").attributes().get("strides")).isEqualTo(Attribute.ints(2, 2));
        assertThat(shape(g, "layer1.2.relu3")).containsExactly(1L, 256L, 56L, 56L);
        assertThat(shape(g, "layer2.3.relu3")).containsExactly(1L, 512L, 28L, 28L);
        assertThat(shape(g, "layer3.5.relu3")).containsExactly(1L, 1024L, 14L, 14L);
        assertThat(shape(g, "layer4.2.relu3")).containsExactly(1L, 2048L, 7L, 7L);
        assertThat(shape(g, "fc")).containsExactly(1L, 1000L);
        assertThat(largestActivation(g)).isEqualTo(802_816); // 112 x 112 x 64
    }

    @Test
    void mobilenetv2() {
        Graph g = Zoo.build("mobilenetv2");
        assertThat(count(g, "Conv")).isEqualTo(52);
        assertThat(g.nodes().stream().filter(n -> n.opType().equals("Conv")
                && ((Attribute.Int) n.attributes().get("group")).value() > 1)).hasSize(17); // one depthwise per block
        assertThat(count(g, "Add")).isEqualTo(10); // residual connections
        assertThat(shape(g, "features.18.relu6")).containsExactly(1L, 1280L, 7L, 7L);
        assertThat(largestActivation(g)).isEqualTo(1_204_224); // 112 x 112 x 96, block 2's expansion
    }

    @Test
    void vgg16() {
        Graph g = Zoo.build("vgg16");
        assertThat(count(g, "Conv")).isEqualTo(13);
        assertThat(count(g, "Gemm")).isEqualTo(3);
        assertThat(shape(g, "flatten")).containsExactly(1L, 25_088L);
        assertThat(largestActivation(g)).isEqualTo(3_211_264); // 224 x 224 x 64
    }

    @Test
    void inceptionv3() {
        Graph g = Zoo.build("inceptionv3");
        assertThat(count(g, "Conv")).isEqualTo(94);
        assertThat(shape(g, "maxpool2")).containsExactly(1L, 192L, 35L, 35L);
        assertThat(shape(g, "Mixed_5b.concat")).containsExactly(1L, 256L, 35L, 35L);
        assertThat(shape(g, "Mixed_5d.concat")).containsExactly(1L, 288L, 35L, 35L);
        assertThat(shape(g, "Mixed_6a.concat")).containsExactly(1L, 768L, 17L, 17L);
        assertThat(shape(g, "Mixed_7a.concat")).containsExactly(1L, 1280L, 8L, 8L);
        assertThat(shape(g, "Mixed_7c.concat")).containsExactly(1L, 2048L, 8L, 8L);
        assertThat(shape(g, "fc")).containsExactly(1L, 1000L);
    }

    @Test
    void bertBase() {
        Graph g = Zoo.build("bert-base");
        assertThat(count(g, "Gather")).isEqualTo(3);
        assertThat(count(g, "MatMul")).isEqualTo(12 * 8); // 6 projections + 2 attention products per layer
        assertThat(count(g, "Softmax")).isEqualTo(12);
        assertThat(count(g, "Gelu")).isEqualTo(12);
        assertThat(count(g, "LayerNormalization")).isEqualTo(1 + 12 * 2);
        assertThat(shape(g, "embeddings.word")).containsExactly(1L, 128L, 768L);
        assertThat(shape(g, "encoder.0.scores")).containsExactly(1L, 12L, 128L, 128L);
        assertThat(shape(g, "encoder.0.gelu")).containsExactly(1L, 128L, 3072L);
        assertThat(g.tensors().stream().filter(t -> t.role() == TensorRole.OUTPUT).map(Tensor::shape))
                .containsExactly(List.of(1L, 128L, 768L), List.of(1L, 768L));
        assertThat(g.tensors().stream().filter(t -> t.role() == TensorRole.INPUT).map(Tensor::dtype))
                .containsOnly(DType.INT64).hasSize(3);
    }

    @Test
    void fixtures() {
        assertThat(shape(Zoo.build("mlp"), "fc3")).containsExactly(1L, 10L);
        assertThat(shape(Zoo.build("conv-relu"), "relu")).containsExactly(1L, 16L, 32L, 32L);
        assertThat(shape(Zoo.build("residual-block"), "relu2")).containsExactly(1L, 64L, 56L, 56L);
        Graph attention = Zoo.build("attention-block");
        assertThat(shape(attention, "encoder.scores")).containsExactly(1L, 4L, 16L, 16L);
        assertThat(shape(attention, "encoder.output.layernorm")).containsExactly(1L, 16L, 64L);
    }

    private static long count(Graph g, String opType) {
        return g.nodes().stream().filter(n -> n.opType().equals(opType)).count();
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Long> shape(Graph g, String tensor) {
        return g.tensors().stream().filter(t -> t.name().equals(tensor)).findFirst().orElseThrow().shape();
    }

    private static long largestActivation(Graph g) {
        return g.tensors().stream().filter(t -> t.role() != TensorRole.WEIGHT).mapToLong(Tensor::elementCount).max()
                .orElseThrow();
    }
}
