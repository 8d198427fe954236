package dev.tessera.cli;

import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The table of compiled models that {@code demo} and {@code watch} print: one row per model version
 * and spec profile, fixed-width columns, figures in readable units ({@link Units}); a model without
 * metrics (rejected) shows {@code -} in their place.
 */
final class MetricsTable {
    private static final String FORMAT = "%-18s %-8s %-14s %-12s %10s %10s %12s %12s%n";

    private final PrintWriter out;

    MetricsTable(PrintWriter out) {
        this.out = out;
    }

    void header() {
        out.printf(Locale.ROOT, FORMAT, "MODEL", "VERSION", "STATUS", "PROFILE", "PARAMS", "MACS", "ACTIVATIONS", "PEAK ACT.");
        out.flush();
    }

    /** A row from a result and its metrics (null when the compile did not succeed). */
    void row(CompileResult result, OptimizationMetrics metrics) {
        print(result.getModelName(), result.getModelVersion(), result.getStatus().name(), result.getSpecProfile(), metrics);
    }

    /** A row from metrics alone (they exist only for successful compiles). */
    void row(OptimizationMetrics metrics) {
        print(metrics.getModelName(), metrics.getModelVersion(), "OK", metrics.getSpecProfile(), metrics);
    }

    private void print(String model, String version, String status, String profile, OptimizationMetrics m) {
        out.printf(Locale.ROOT, FORMAT, model, version, status, profile,
                m == null ? "-" : Units.count(m.getParameters()),
                m == null ? "-" : Units.count(m.getMacs()),
                m == null ? "-" : Units.bytes(m.getActivationBytes()),
                m == null ? "-" : Units.bytes(m.getPeakActivationBytes()));
        out.flush();
    }
}
