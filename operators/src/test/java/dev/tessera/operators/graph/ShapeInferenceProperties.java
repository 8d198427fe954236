package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InvalidModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Shape rules against their definitions, checked by enumeration on random cases. */
class ShapeInferenceProperties {
    /**
     * A convolution's output size is the number of window positions: starts -pb, -pb + s, … whose
     * last (dilated) tap stays within the padded input.
     */
    @Property(tries = 500)
    void convOutputSizeCountsTheWindowPositions(@ForAll @IntRange(min = 1, max = 40) int in,
            @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 4) int stride,
            @ForAll @IntRange(min = 1, max = 3) int dilation, @ForAll @IntRange(max = 3) int padBegin,
            @ForAll @IntRange(max = 3) int padEnd) {
        int positions = 0;
        for (int start = -padBegin; start + dilation * (k - 1) <= in - 1 + padEnd; start += stride) {
            positions++;
        }
        Node conv = new Node("n", "Conv", List.of("x", "w"), List.of("y"), Map.of(
                "strides", Attribute.ints(stride), "dilations", Attribute.ints(dilation),
                "pads", Attribute.ints(padBegin, padEnd)));
        List<TensorType> inputs = List.of(new TensorType(List.of(1L, 1L, (long) in), DType.FLOAT32),
                new TensorType(List.of(1L, 1L, (long) k), DType.FLOAT32));
        if (positions == 0) {
            assertThatThrownBy(() -> ShapeInference.infer("m", conv, inputs))
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("exceeds the padded input");
        } else {
            assertThat(ShapeInference.infer("m", conv, inputs).get(0).shape()).containsExactly(1L, 1L, (long) positions);
        }
    }

    /** Broadcasting is commutative and, for compatible shapes, agrees with a variadic Max. */
    @Property(tries = 500)
    void broadcastingIsCommutativeAndAssociative(@ForAll("shapes") List<Long> a, @ForAll("shapes") List<Long> b,
            @ForAll("shapes") List<Long> c) {
        assertThat(Broadcast.shapes(a, b)).isEqualTo(Broadcast.shapes(b, a));
        List<Long> ab = Broadcast.shapes(a, b);
        List<Long> bc = Broadcast.shapes(b, c);
        if (ab != null && bc != null) {
            assertThat(Broadcast.shapes(ab, c)).isEqualTo(Broadcast.shapes(a, bc));
        }
        if (ab != null && Broadcast.shapes(ab, c) != null) {
            Node max = new Node("n", "Max", List.of("a", "b", "c"), List.of("y"), Map.of());
            assertThat(ShapeInference.infer("m", max, List.of(new TensorType(a, DType.FLOAT32),
                    new TensorType(b, DType.FLOAT32), new TensorType(c, DType.FLOAT32))).get(0).shape())
                    .isEqualTo(Broadcast.shapes(ab, c));
        }
    }

    /** Reshape with one -1 keeps the element count whenever it succeeds. */
    @Property(tries = 300)
    void reshapeKeepsTheElementCount(@ForAll("shapes") List<Long> in, @ForAll @Size(min = 1, max = 4)
            List<@IntRange(min = -1, max = 4) Integer> target) {
        List<Long> shape = new ArrayList<>();
        boolean minusOne = false;
        for (int t : target) {
            boolean keepMinusOne = t == -1 && !minusOne;
            minusOne |= keepMinusOne;
            shape.add(t == -1 && !keepMinusOne ? 1L : (long) t);
        }
        Node reshape = new Node("n", "Reshape", List.of("x"), List.of("y"),
                Map.of("shape", new Attribute.Ints(shape)));
        try {
            List<Long> out = ShapeInference.infer("m", reshape, List.of(new TensorType(in, DType.FLOAT32))).get(0)
                    .shape();
            assertThat(TensorShapes.product(out, 0, out.size())).isEqualTo(TensorShapes.product(in, 0, in.size()));
        } catch (InvalidModelException e) {
            assertThat(e).hasMessageStartingWith("model 'm': node 'n' (Reshape): ");
        }
    }

    @Provide
    Arbitrary<List<Long>> shapes() {
        return Arbitraries.longs().between(1, 3).list().ofMaxSize(4);
    }
}
