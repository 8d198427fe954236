package dev.tessera.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileJobConfigTest {
    @Test
    void defaultsNeedOnlyTheBootstrapServers() {
        CompileJobConfig config = CompileJobConfig.fromArgs("--bootstrap.servers", "kafka:9092");
        assertThat(config.inputTopic()).isEqualTo(Topics.MODEL_GRAPHS);
        assertThat(config.outputTopics()).isEqualTo(Topics.OUTPUTS);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.parallelism()).isNull();
        assertThat(config.workflow().dedupTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.workflow().limits()).isEqualTo(GraphLimits.DEFAULTS);
    }

    @Test
    void argumentsWinOverThePropertiesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "bootstrap.servers=a:1\ndedup.ttl=12h\nlimits.max-nodes=50\nparallelism=3\n");
        CompileJobConfig config = CompileJobConfig.fromArgs("--properties", file.toString(), "--parallelism", "4",
                "--checkpoint.interval", "250ms");
        assertThat(config.bootstrapServers()).isEqualTo("a:1");
        assertThat(config.workflow().dedupTtl()).isEqualTo(Duration.ofHours(12));
        assertThat(config.workflow().limits().maxNodes()).isEqualTo(50);
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--topic.input", "x"))
                .hasMessageContaining("bootstrap.servers is required");
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers", "a:1", "--dedup.tll", "1d"))
                .hasMessageContaining("unknown settings [dedup.tll]");
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers", "a:1", "--dedup.ttl", "7 weeks"))
                .hasMessageContaining("dedup.ttl");
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers", "a:1", "--parallelism", "0"))
                .hasMessageContaining("parallelism must be positive");
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers", "a:1", "--topic.results", "a/b"))
                .hasMessageContaining("'/'");
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers"))
                .hasMessageContaining("without a value");
    }

    @Test
    void theTransactionTimeoutMustOutlastACheckpointInterval() {
        assertThatThrownBy(() -> CompileJobConfig.fromArgs("--bootstrap.servers", "a:1", "--checkpoint.interval", "90s"))
                .hasMessageContaining("transaction.timeout (120000ms) must be at least twice checkpoint.interval (90000ms)");
    }

    @Test
    void durationsTakeTheirUnits() {
        assertThat(CompileJobConfig.parseDuration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CompileJobConfig.parseDuration("k", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(CompileJobConfig.parseDuration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(CompileJobConfig.parseDuration("k", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(CompileJobConfig.parseDuration("k", "7D")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> CompileJobConfig.parseDuration("k", "10")).hasMessageContaining("number with a unit");
        assertThatThrownBy(() -> CompileJobConfig.parseDuration("k", "3w")).hasMessageContaining("unit 'w'");
    }
}
