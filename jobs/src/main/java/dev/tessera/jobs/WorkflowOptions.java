package dev.tessera.jobs;

import dev.tessera.operators.CompilerVersion;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.schemas.SingleObjectCodec;
import java.time.Duration;
import java.util.Objects;

/**
 * What the compile topology is configured with (the Kafka and checkpoint settings belong to the job).
 *
 * @param dedupTtl        how long dedup remembers a compile (default 7 days)
 * @param maxEventBytes   largest registry value decoded; longer ones are {@code OVERSIZED} dead letters
 * @param limits          graph limits; a graph over one is rejected
 * @param compilerVersion part of every result and of the dedup key
 */
public record WorkflowOptions(Duration dedupTtl, int maxEventBytes, GraphLimits limits, String compilerVersion) {
    public static final Duration DEFAULT_DEDUP_TTL = Duration.ofDays(7);

    public WorkflowOptions {
        Objects.requireNonNull(dedupTtl, "dedupTtl");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(compilerVersion, "compilerVersion");
        if (dedupTtl.isNegative() || dedupTtl.isZero()) {
            throw new IllegalArgumentException("dedup TTL must be positive, got " + dedupTtl);
        }
        if (maxEventBytes <= SingleObjectCodec.HEADER_BYTES) {
            throw new IllegalArgumentException("max event bytes must exceed the 10-byte header, got " + maxEventBytes);
        }
    }

    /** 7-day dedup, 16 MiB events, {@link GraphLimits#DEFAULTS}, this build's compiler version. */
    public static WorkflowOptions defaults() {
        return new WorkflowOptions(DEFAULT_DEDUP_TTL, SingleObjectCodec.DEFAULT_MAX_BYTES, GraphLimits.DEFAULTS, CompilerVersion.get());
    }
}
