package dev.tessera.operators.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference Cast on the edges of its target code and of its values. */
class ReferenceCastTest {
    private static Map<String, FloatTensor> cast(long to, DType target, float... x) {
        List<Long> shape = List.of((long) x.length);
        Graph g = new Graph("cast", List.of(new Tensor("x", shape, DType.FLOAT32, TensorRole.INPUT),
                new Tensor("y", shape, target, TensorRole.OUTPUT)),
                List.of(new Node("c", "Cast", List.of("x"), List.of("y"), Map.of("to", Attribute.of(to)))));
        return ReferenceInterpreter.run(g, WeightSource.EMPTY, Map.of("x", FloatTensor.of(shape, x)));
    }

    @Test
    void aTargetCodeBeyondTheIntRangeIsRejectedNotTruncated() {
        // (int) (2^32 + 6) is 6 (int32): truncating the code would silently cast to int32
        assertThatThrownBy(() -> cast((1L << 32) + 6, DType.INT32, 1.5f))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("Cast node 'c'").hasMessageContaining("'to' = 4294967302");
    }

    @Test
    void toIntegersTruncatesTowardZero() {
        assertThat(cast(6, DType.INT32, 2.75f, -2.75f).get("y").toArray()).containsExactly(2f, -2f);
    }
}
