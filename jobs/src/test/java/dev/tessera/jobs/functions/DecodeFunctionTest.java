package dev.tessera.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.records.Inbound;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.GraphHash;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.DeadLetterReason;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Tests for {@link DecodeFunction}: good bytes become requests, bad bytes dead letters, in any mix. */
class DecodeFunctionTest {
    private final SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);

    @Test
    void goodAndBadRecordsInterleavedEachGetTheirOutcome() throws Exception {
        byte[] good = codec.encode(TestEvents.event("mlp", "1", Zoo.build("mlp")));
        byte[] unknownSchema = good.clone();
        unknownSchema[9] ^= 1;
        List<byte[]> values = List.of(good, new byte[] {1, 2, 3}, good, Arrays.copyOf(good, good.length - 4), good,
                unknownSchema, new byte[0], good);

        try (OneInputStreamOperatorTestHarness<Inbound, CompileRequest> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction(1 << 20))) {
            for (int i = 0; i < values.size(); i++) {
                harness.processElement(TestEvents.inbound("mlp", values.get(i), i), i);
            }
            List<CompileRequest> requests = harness.extractOutputValues();
            assertThat(requests).hasSize(4).allSatisfy(r -> {
                assertThat(r.event()).isEqualTo(TestEvents.event("mlp", "1", Zoo.build("mlp")));
                assertThat(r.graphSha256()).isEqualTo(GraphHash.sha256(Zoo.build("mlp")));
                assertThat(r.specProfile()).isEqualTo("inferentia2");
            });
            assertThat(requests).extracting(r -> r.source().offset()).containsExactly(0L, 2L, 4L, 7L);

            List<DeadLetter> dead = harness.getSideOutput(DeadLetters.TAG).stream().map(r -> r.getValue()).toList();
            assertThat(dead).extracting(DeadLetter::getReason).containsExactly(
                    DeadLetterReason.BAD_HEADER, DeadLetterReason.MALFORMED, DeadLetterReason.UNKNOWN_SCHEMA, DeadLetterReason.EMPTY);
            assertThat(dead).extracting(DeadLetter::getOffset).containsExactly(1L, 3L, 5L, 6L);
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.getStage()).isEqualTo("decode");
                assertThat(d.getInternal()).isFalse();
                assertThat(d.getMessage()).isNotBlank();
            });
            assertThat(dead.get(0).getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void anOversizedValueIsADeadLetter() throws Exception {
        byte[] big = codec.encode(TestEvents.event("resnet50", "1", Zoo.build("resnet50")));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction(1024))) {
            harness.processElement(TestEvents.inbound("resnet50", big, 0), 0);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().getReason()).isEqualTo(DeadLetterReason.OVERSIZED));
        }
    }

    @Test
    void oneRequestPerSpecProfileAndOneWhenThereIsNone() throws Exception {
        ModelGraphEvent two = GraphMapper.event("mlp", "1", List.of("inferentia1", "inferentia2"), Map.of(), Zoo.build("mlp"));
        ModelGraphEvent none = GraphMapper.event("mlp", "2", List.of(), Map.of(), Zoo.build("mlp"));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction(1 << 20))) {
            harness.processElement(TestEvents.inbound("mlp", codec.encode(two), 0), 0);
            harness.processElement(TestEvents.inbound("mlp", codec.encode(none), 1), 1);
            assertThat(harness.extractOutputValues()).extracting(CompileRequest::specProfile)
                    .containsExactly("inferentia1", "inferentia2", "");
        }
    }
}
