package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad input never crashes: random graphs over the supported ops, with random inputs (some missing,
 * some absent), random attributes of random types and random shapes, either validate or fail with
 * an {@link InvalidModelException}; what validates also has statistics and a round-tripping text.
 */
class ValidatorFuzzProperties {
    private static final List<String> OPS = OpRegistry.supportedOps();
    private static final List<String> STRINGS = List.of("NOTSET", "SAME_UPPER", "VALID", "constant", "reflect",
            "nearest", "linear", "tanh", "none", "half_pixel", "bogus");

    @Property(tries = 2000)
    void validationEitherSucceedsOrExplains(@ForAll long seed) {
        Random r = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        int declared = 1 + r.nextInt(4);
        for (int i = 0; i < declared; i++) {
            TensorRole role = r.nextInt(3) == 0 ? TensorRole.INPUT : TensorRole.WEIGHT;
            DType dtype = r.nextInt(8) == 0 ? DType.INT64 : DType.FLOAT32;
            tensors.add(new Tensor("t" + i, randomShape(r), dtype, role));
        }
        List<Node> nodes = new ArrayList<>();
        int nodeCount = 1 + r.nextInt(4);
        for (int n = 0; n < nodeCount; n++) {
            String op = OPS.get(r.nextInt(OPS.size()));
            List<String> inputs = new ArrayList<>();
            int arity = 1 + r.nextInt(3);
            for (int i = 0; i < arity; i++) {
                int dice = r.nextInt(40);
                inputs.add(dice == 0 ? "ghost" : dice == 1 ? "" : tensors.get(r.nextInt(tensors.size())).name());
            }
            Map<String, Attribute> attributes = new TreeMap<>();
            List<String> names = new ArrayList<>(OpRegistry.attributeNames(op));
            names.add("bogus");
            for (String name : names) {
                if (r.nextInt(name.equals("bogus") ? 40 : 5) == 0) {
                    attributes.put(name, randomAttribute(r));
                }
            }
            List<String> outputs = new ArrayList<>();
            int outputCount = op.equals("Split") ? 1 + r.nextInt(3) : 1;
            for (int o = 0; o < outputCount; o++) {
                String name = "n" + n + "_" + o;
                outputs.add(name);
                tensors.add(new Tensor(name, r.nextInt(10) == 0 ? randomShape(r) : null, DType.FLOAT32,
                        n == nodeCount - 1 ? TensorRole.OUTPUT : TensorRole.ACTIVATION));
            }
            nodes.add(new Node("n" + n, op, inputs, outputs, attributes));
        }
        check(new Graph("fuzz", tensors, nodes));
    }

    /** One to three random edits of a zoo fixture: an attribute, an input, a declared shape, the order or an op. */
    @Property(tries = 1000)
    void mutatedFixturesEitherValidateOrExplain(@ForAll long seed) {
        Random r = new Random(seed);
        List<String> fixtures = List.of("mlp", "conv-relu", "residual-block", "attention-block");
        Graph g = Zoo.build(fixtures.get(r.nextInt(fixtures.size())));
        List<Tensor> tensors = new ArrayList<>(g.tensors());
        List<Node> nodes = new ArrayList<>(g.nodes());
        for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
            int k = r.nextInt(nodes.size());
            Node n = nodes.get(k);
            switch (r.nextInt(5)) {
                case 0 -> {
                    Map<String, Attribute> attributes = new TreeMap<>(n.attributes());
                    List<String> names = OpRegistry.attributeNames(n.opType());
                    if (!names.isEmpty()) {
                        attributes.put(names.get(r.nextInt(names.size())), randomAttribute(r));
                    }
                    nodes.set(k, new Node(n.name(), n.opType(), n.inputs(), n.outputs(), attributes));
                }
                case 1 -> {
                    List<String> inputs = new ArrayList<>(n.inputs());
                    inputs.set(r.nextInt(inputs.size()), tensors.get(r.nextInt(tensors.size())).name());
                    nodes.set(k, new Node(n.name(), n.opType(), inputs, n.outputs(), n.attributes()));
                }
                case 2 -> {
                    int t = r.nextInt(tensors.size());
                    tensors.set(t, tensors.get(t).withShape(randomShape(r)));
                }
                case 3 -> nodes.set(k, nodes.set(r.nextInt(nodes.size()), n));
                default -> nodes.set(k, new Node(n.name(), OPS.get(r.nextInt(OPS.size())), n.inputs(), n.outputs(),
                        n.attributes()));
            }
        }
        check(new Graph("fuzz", tensors, nodes));
    }

    private static void check(Graph g) {
        try {
            Graph valid = GraphValidator.validate(g, GraphLimits.DEFAULTS);
            GraphStatistics.of(valid);
            assertThat(GraphText.parse(GraphText.print(valid))).isEqualTo(valid);
            Statistics.collect("valid");
        } catch (InvalidModelException e) {
            assertThat(e).hasMessageStartingWith("model 'fuzz': ");
            // which check caught it: the validator's own, or an op's shape rule
            Statistics.collect(e.getMessage().contains("): ") ? "rejected by a shape rule" : "rejected by structure");
        }
    }

    private static List<Long> randomShape(Random r) {
        List<Long> shape = new ArrayList<>();
        int rank = r.nextInt(5);
        for (int i = 0; i < rank; i++) {
            shape.add((long) (r.nextInt(30) == 0 ? r.nextInt(3) - 1 : 1 + r.nextInt(4)));
        }
        return shape;
    }

    private static Attribute randomAttribute(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return Attribute.of((long) (r.nextInt(9) - 4));
            case 1: {
                long[] values = new long[r.nextInt(9)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.nextInt(12) == 0 ? Long.MAX_VALUE : r.nextInt(9) - 4;
                }
                return Attribute.ints(values);
            }
            case 2:
                return Attribute.of(r.nextInt(8) == 0 ? Double.NaN : r.nextDouble() * 8 - 2);
            case 3: {
                List<Double> values = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    values.add(r.nextDouble() * 4);
                }
                return new Attribute.Floats(values);
            }
            case 4:
                return Attribute.of(STRINGS.get(r.nextInt(STRINGS.size())));
            default:
                return new Attribute.Strs(List.of(STRINGS.get(r.nextInt(STRINGS.size()))));
        }
    }
}
