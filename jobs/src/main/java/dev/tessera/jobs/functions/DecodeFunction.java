package dev.tessera.jobs.functions;

import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.records.Inbound;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.GraphHash;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.UndecodableRecordException;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code decode} stage: a registry record's bytes → one {@link CompileRequest} per spec profile
 * of the event, with the graph's hash; bytes that are not a {@code ModelGraphEvent} of a known
 * schema version (empty, oversized, bad header, unknown fingerprint, malformed body) go to
 * {@link DeadLetters#TAG} with the codec's reason. Decoding keeps no state between records
 * ({@link SingleObjectCodec}), so a bad record never corrupts the next.
 *
 * <p>An event that names no spec profile still yields one request, with an empty profile, so that
 * the validate stage rejects it with a result the registry can see.
 */
public final class DecodeFunction extends ProcessFunction<Inbound, CompileRequest> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "decode";

    private final int maxEventBytes;
    private transient SingleObjectCodec<ModelGraphEvent> codec;
    private transient Counter undecodable;

    public DecodeFunction(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = SingleObjectCodec.of(ModelGraphEvent.class, maxEventBytes);
        undecodable = getRuntimeContext().getMetricGroup().counter("undecodableRecords");
    }

    @Override
    public void processElement(Inbound record, Context ctx, Collector<CompileRequest> out) {
        long start = System.nanoTime();
        ModelGraphEvent event;
        try {
            event = codec.decode(record.value());
        } catch (UndecodableRecordException e) {
            undecodable.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(record, STAGE, e.reason(), e, null, null, false));
            return;
        }
        String hash = GraphHash.sha256(GraphMapper.toGraph(event.getGraph()));
        long micros = (System.nanoTime() - start) / 1_000;
        List<String> profiles = event.getSpecProfiles().isEmpty() ? List.of("") : event.getSpecProfiles();
        for (String profile : profiles) {
            out.collect(new CompileRequest(event, profile, hash, micros, false, record));
        }
    }
}
