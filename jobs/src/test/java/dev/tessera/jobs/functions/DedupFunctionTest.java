package dev.tessera.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.jobs.records.CompileRequest;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link DedupFunction}, on Flink's keyed operator harness with real keyed state. */
class DedupFunctionTest {
    private static final Duration TTL = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<String, CompileRequest, CompileRequest> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness("0.1.0");
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CompileRequest, CompileRequest> harness(String compiler)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupFunction(TTL, compiler)), CompileRequest::modelName, Types.STRING);
    }

    private List<CompileRequest> output() {
        return harness.extractOutputValues();
    }

    @Test
    void theFirstCompileOfAVersionPassesAndARepeatIsSkipped() throws Exception {
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));

        assertThat(output()).hasSize(1);
        assertThat(output().get(0).graphChanged()).isFalse();
    }

    @Test
    void aNewVersionOrAnotherModelIsNotADuplicate() throws Exception {
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "2", "mlp")));
        harness.processElement(new StreamRecord<>(TestEvents.request("other", "1", "mlp")));

        assertThat(output()).extracting(CompileRequest::modelName, CompileRequest::modelVersion, CompileRequest::graphChanged)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("mlp", "1", false),
                        org.assertj.core.groups.Tuple.tuple("mlp", "2", false),
                        org.assertj.core.groups.Tuple.tuple("other", "1", false));
    }

    @Test
    void theSameVersionWithAnotherGraphIsCompiledAndFlagged() throws Exception {
        harness.processElement(new StreamRecord<>(TestEvents.request("m", "1", "mlp")));
        harness.processElement(new StreamRecord<>(TestEvents.request("m", "1", "conv-relu")));
        harness.processElement(new StreamRecord<>(TestEvents.request("m", "1", "conv-relu")));

        assertThat(output()).extracting(CompileRequest::graphChanged).containsExactly(false, true);
    }

    @Test
    void anotherSpecProfileIsAnotherCompile() throws Exception {
        CompileRequest v2 = TestEvents.request("mlp", "1", "mlp");
        CompileRequest v1 = new CompileRequest(v2.event(), "inferentia1", v2.graphSha256(), 1, false, v2.source());
        harness.processElement(new StreamRecord<>(v2));
        harness.processElement(new StreamRecord<>(v1));

        assertThat(output()).extracting(CompileRequest::specProfile).containsExactly("inferentia2", "inferentia1");
    }

    @Test
    void aCompilerUpgradeCompilesAgainFromTheSameState() throws Exception {
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
        OperatorSubtaskState state = harness.snapshot(1, 1);

        try (var upgraded = harness("0.2.0")) {
            upgraded.initializeState(state);
            upgraded.open();
            upgraded.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
            assertThat(upgraded.extractOutputValues()).hasSize(1);
        }
        try (var same = harness("0.1.0")) {
            same.initializeState(state);
            same.open();
            same.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
            assertThat(same.extractOutputValues()).as("restored state still knows the compile").isEmpty();
        }
    }

    @Test
    void aCompileIsForgottenAfterTheTtl() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
        harness.setStateTtlProcessingTime(TTL.toMillis() - 1);
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));
        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        harness.processElement(new StreamRecord<>(TestEvents.request("mlp", "1", "mlp")));

        assertThat(output()).as("compiled at 0, skipped just before the TTL, compiled again after it").hasSize(2);
    }

    @Test
    void compileKeysOfDifferentTuplesNeverCollide() {
        DedupFunction dedup = new DedupFunction(TTL, "c");
        CompileRequest a = TestEvents.request("m", "1|2", "mlp");
        CompileRequest b = TestEvents.request("m", "1", "mlp");
        assertThat(dedup.compileKey(a)).isNotEqualTo(dedup.compileKey(b));
        assertThat(dedup.compileKey(b)).isEqualTo("1:1|64:" + b.graphSha256() + "|1:c|11:inferentia2|");
    }
}
