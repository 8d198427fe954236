package dev.tessera.jobs.embedded;

import dev.tessera.jobs.kafka.KafkaIo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker in this JVM: KRaft in combined mode (broker and controller in one
 * server) over a temporary directory, on two free loopback ports. It is the broker of the embedded
 * default ({@code tessera demo}) and of the integration tests; it is not in {@code tessera-job.jar}.
 *
 * <p>Single-node settings: every internal topic has replication factor 1 and min ISR 1 (so
 * transactions and consumer groups work), topics are never auto-created (a typo in a topic name
 * fails instead of creating a new topic), and the first consumer-group rebalance is not delayed.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(Map.of("tessera.model-graphs", 2));
 *     String servers = kafka.bootstrapServers();   // e.g. 127.0.0.1:40123
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(Path directory, KafkaRaftServer server, String bootstrapServers) {
        this.directory = directory;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers. */
    public static EmbeddedKafka start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("tessera-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's log directory", e);
        }
        int brokerPort = freePort();
        int controllerPort = freePort();
        String dir = directory.toString();
        KafkaConfig config = new KafkaConfig(properties(dir, brokerPort, controllerPort), false);
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (Exception e) {
            deleteQuietly(directory);
            throw new IllegalStateException("cannot format the broker's log directory " + dir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String servers = "127.0.0.1:" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(directory, server, servers);
        try {
            server.startup();
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** {@code host:port} of the PLAINTEXT listener, for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics (name → partitions, replication factor 1) and waits until they exist. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        KafkaIo.createTopics(bootstrapServers, partitionsByTopic, (short) 1);
    }

    /** A new admin client of this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteQuietly(directory);
        }
    }

    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the embedded broker did not answer within " + READY_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static Properties properties(String dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir);
        p.put("metadata.log.dir", dir);
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /**
     * A loopback port that was free a moment ago. The server cannot bind port 0 here: the static
     * controller voter string needs the real port before the server starts.
     */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A leftover temp directory is harmless; failing close() over it would hide the real outcome.
        }
    }
}
