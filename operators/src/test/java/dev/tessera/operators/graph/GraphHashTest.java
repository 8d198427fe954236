package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.graph.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The graph hash: deterministic, and sensitive to every part of the graph. */
class GraphHashTest {
    @Test
    void buildingAZooModelTwiceGivesTheSameHash() {
        for (String name : Zoo.names()) {
            assertThat(GraphHash.sha256(Zoo.build(name))).as(name).isEqualTo(GraphHash.sha256(Zoo.build(name)))
                    .matches("[0-9a-f]{64}");
        }
    }

    @Test
    void theHashOfAFixtureIsStableAcrossBuilds() {
        // Pinned: a change here changes every dedup key, so it must be deliberate (and the text form's too).
        assertThat(GraphHash.sha256(Zoo.build("conv-relu")))
                .isEqualTo("4a35603efd4040b5eca3a203f28b731e660be813fb4b7c1c49c789f82de773b7");
    }

    @Test
    void changesWhenAnAttributeChanges() {
        Graph g = Zoo.build("resnet50");
        String before = GraphHash.sha256(g);
        assertThat(GraphHash.sha256(withAttribute(g, "conv1", "strides", Attribute.ints(1, 1)))).isNotEqualTo(before);
        assertThat(GraphHash.sha256(withAttribute(g, "conv1", "group", Attribute.of(1.0)))).isNotEqualTo(before);
        assertThat(GraphHash.sha256(withAttribute(g, "conv1", "group", Attribute.of(1)))).isEqualTo(before);
    }

    @Test
    void changesWithNamesShapesRolesAndOrder() {
        Graph g = Zoo.build("mlp");
        String before = GraphHash.sha256(g);
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        Tensor first = tensors.get(0);
        tensors.set(0, first.withShape(List.of(2L, 784L)));
        assertThat(GraphHash.sha256(new Graph(g.name(), tensors, g.nodes()))).isNotEqualTo(before);
        assertThat(GraphHash.sha256(new Graph("mlp2", g.tensors(), g.nodes()))).isNotEqualTo(before);
        List<Tensor> swapped = new ArrayList<>(g.tensors());
        swapped.set(0, g.tensors().get(1));
        swapped.set(1, g.tensors().get(0));
        assertThat(GraphHash.sha256(new Graph(g.name(), swapped, g.nodes()))).isNotEqualTo(before);
    }

    private static Graph withAttribute(Graph g, String nodeName, String attribute, Attribute value) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.name().equals(nodeName)) {
                Map<String, Attribute> attributes = new TreeMap<>(n.attributes());
                attributes.put(attribute, value);
                n = new Node(n.name(), n.opType(), n.inputs(), n.outputs(), attributes);
            }
            nodes.add(n);
        }
        return new Graph(g.name(), g.tensors(), nodes);
    }
}
