package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever the names and values, parsing the printed text gives back the same graph and hash. */
class GraphTextProperties {
    @Property(tries = 300)
    void printThenParseIsTheIdentity(@ForAll @StringLength(max = 12) String model,
            @ForAll @StringLength(max = 12) String tensor, @ForAll @StringLength(max = 12) String node,
            @ForAll @StringLength(max = 12) String attributeName, @ForAll @StringLength(max = 12) String text,
            @ForAll double number, @ForAll long integer, @ForAll @Size(max = 4) List<Double> numbers,
            @ForAll @Size(max = 4) List<Long> integers,
            @ForAll @Size(max = 4) List<@StringLength(max = 6) String> strings) {
        Map<String, Attribute> attributes = new TreeMap<>();
        attributes.put("a" + attributeName, new Attribute.Str(text));
        attributes.put("b" + attributeName, new Attribute.Float(number));
        attributes.put("c" + attributeName, new Attribute.Int(integer));
        attributes.put("d" + attributeName, new Attribute.Floats(numbers));
        attributes.put("e" + attributeName, new Attribute.Ints(integers));
        attributes.put("f" + attributeName, new Attribute.Strs(strings));
        Graph g = new Graph(model, List.of(new Tensor(tensor, List.of(1L, 2L), DType.FLOAT32, TensorRole.INPUT)),
                List.of(new Node(node, "Relu", List.of(tensor, ""), List.of(tensor + "'"), attributes)));
        Graph back = GraphText.parse(GraphText.print(g));
        assertThat(back).isEqualTo(g);
        assertThat(GraphHash.sha256(back)).isEqualTo(GraphHash.sha256(g));
    }
}
