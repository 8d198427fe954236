package dev.tessera.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table every Tessera benchmark prints: per case, the mean time of the candidate, the mean
 * time of the baseline measured in the same run, and their ratio (candidate / baseline; below 1
 * means the candidate is faster). Rows keep the order they were added in.
 */
public final class RatioTable {
    private final String candidate;
    private final String baseline;
    private final List<Row> rows = new ArrayList<>();

    private record Row(String name, double candidateNanos, double baselineNanos) {}

    public RatioTable(String candidate, String baseline) {
        this.candidate = candidate;
        this.baseline = baseline;
    }

    /** Adds one case; both times are means in nanoseconds, measured in this run. */
    public RatioTable add(String name, double candidateNanos, double baselineNanos) {
        if (!(candidateNanos > 0) || !(baselineNanos > 0)) {
            throw new IllegalArgumentException(
                    "case " + name + ": times must be positive, got " + candidateNanos + " and " + baselineNanos);
        }
        rows.add(new Row(name, candidateNanos, baselineNanos));
        return this;
    }

    /** The geometric mean of the ratios: the one-number summary of a run. */
    public double geometricMeanRatio() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("no cases measured");
        }
        double logSum = 0;
        for (Row r : rows) {
            logSum += Math.log(r.candidateNanos / r.baselineNanos);
        }
        return Math.exp(logSum / rows.size());
    }

    /** The table as text, one line per case and a closing geometric-mean line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        int width = Math.max(4, rows.stream().mapToInt(r -> r.name.length()).max().orElse(4));
        String header = "%-" + width + "s  %14s  %14s  %8s%n";
        sb.append(String.format(Locale.ROOT, header, "case", candidate + " µs", baseline + " µs", "ratio"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %14.3f  %14.3f  %8.3f%n",
                    r.name, r.candidateNanos / 1e3, r.baselineNanos / 1e3, r.candidateNanos / r.baselineNanos));
        }
        sb.append(String.format(Locale.ROOT, "geometric mean ratio (%s / %s): %.3f%n",
                candidate, baseline, geometricMeanRatio()));
        return sb.toString();
    }
}
