package dev.tessera.jobs.functions;

import dev.tessera.jobs.records.CompileRequest;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code dedup} stage, keyed by model name: a request passes unless this model was already
 * compiled with the same version, graph hash, compiler version and spec profile. A compiler upgrade
 * changes the key, so every model compiles again after one. A version that arrives again with a
 * different graph passes too, flagged {@link CompileRequest#graphChanged()}.
 *
 * <p>State per model: the set of compile keys seen, and the first graph hash seen per version. Both
 * expire {@code ttl} after they were written (processing time), which bounds the state of a
 * registry that never stops growing; after that, a replay of the same event compiles again.
 *
 * <p>Example, model {@code resnet50}: (v1, hash A) passes; (v1, A) again is skipped; (v1, B) passes
 * with {@code graphChanged}; (v2, A) passes.
 */
public final class DedupFunction extends KeyedProcessFunction<String, CompileRequest, CompileRequest> {
    private static final long serialVersionUID = 1L;
    public static final String STAGE = "dedup";

    private final Duration ttl;
    private final String compilerVersion;
    private transient MapState<String, Boolean> seen;
    private transient MapState<String, String> firstHashOfVersion;
    private transient Counter duplicates;
    private transient Counter changedGraphs;

    /**
     * @param ttl             how long a compile is remembered
     * @param compilerVersion the compiler version in the key ({@code CompilerVersion.get()} in the job)
     */
    public DedupFunction(Duration ttl, String compilerVersion) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("dedup TTL must be positive, got " + ttl);
        }
        this.ttl = ttl;
        this.compilerVersion = compilerVersion;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttlConfig = StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
        MapStateDescriptor<String, Boolean> seenDescriptor = new MapStateDescriptor<>("seen-compile-keys", Types.STRING, Types.BOOLEAN);
        seenDescriptor.enableTimeToLive(ttlConfig);
        MapStateDescriptor<String, String> hashDescriptor = new MapStateDescriptor<>("first-hash-of-version", Types.STRING, Types.STRING);
        hashDescriptor.enableTimeToLive(ttlConfig);
        seen = getRuntimeContext().getMapState(seenDescriptor);
        firstHashOfVersion = getRuntimeContext().getMapState(hashDescriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesSkipped");
        changedGraphs = getRuntimeContext().getMetricGroup().counter("versionsWithChangedGraph");
    }

    @Override
    public void processElement(CompileRequest request, Context ctx, Collector<CompileRequest> out) throws Exception {
        String key = compileKey(request);
        if (seen.contains(key)) {
            duplicates.inc();
            return;
        }
        seen.put(key, Boolean.TRUE);
        String firstHash = firstHashOfVersion.get(request.modelVersion());
        boolean changed = firstHash != null && !firstHash.equals(request.graphSha256());
        if (firstHash == null) {
            firstHashOfVersion.put(request.modelVersion(), request.graphSha256());
        }
        if (changed) {
            changedGraphs.inc();
        }
        out.collect(request.withGraphChanged(changed));
    }

    /**
     * Version, graph hash, compiler version and spec profile, each prefixed by its length so that no
     * two different tuples give one key: {@code ("1", "ab…", "0.1", "inferentia2")} →
     * {@code 1:1|64:ab…|3:0.1|11:inferentia2}.
     */
    String compileKey(CompileRequest request) {
        StringBuilder key = new StringBuilder();
        for (String part : new String[] {request.modelVersion(), request.graphSha256(), compilerVersion, request.specProfile()}) {
            key.append(part.length()).append(':').append(part).append('|');
        }
        return key.toString();
    }
}
