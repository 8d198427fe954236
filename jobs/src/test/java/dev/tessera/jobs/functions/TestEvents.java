package dev.tessera.jobs.functions;

import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.records.Inbound;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphHash;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.Topics;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Registry events and compile requests built from the zoo, for the function tests. */
final class TestEvents {
    private TestEvents() {}

    static ModelGraphEvent event(String model, String version, Graph graph) {
        return GraphMapper.event(model, version, List.of("inferentia2"), Map.of(), graph);
    }

    static Inbound inbound(String model, byte[] value, long offset) {
        return new Inbound(model.getBytes(StandardCharsets.UTF_8), value, Topics.MODEL_GRAPHS, 0, offset);
    }

    static CompileRequest request(String model, String version, Graph graph) {
        ModelGraphEvent event = event(model, version, graph);
        byte[] bytes = SingleObjectCodec.of(ModelGraphEvent.class).encode(event);
        return new CompileRequest(event, "inferentia2", GraphHash.sha256(graph), 1, false, inbound(model, bytes, 0));
    }

    static CompileRequest request(String model, String version, String zooModel) {
        return request(model, version, Zoo.build(zooModel));
    }
}
