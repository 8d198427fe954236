package dev.tessera.emulator;

import dev.tessera.emulator.program.Engine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one emulated run measured. Times are emulated ns and cycles of the reference clock the
 * report names. Copies follow DESIGN §5: an <em>off-chip copy</em> is a DMA that touches DRAM; an
 * <em>on-chip copy</em> moves data inside the chip and computes nothing (SBUF→SBUF DMA, a copy or an
 * identity activation that is not a matmul result's first eviction); a <em>PSUM eviction</em> is the
 * first read of a matmul result out of PSUM into SBUF, with or without a fused activation. Bytes are
 * the bytes written, in the destination's dtype.
 *
 * @param outputs the final contents of the output tensors by name, in declaration order (functional
 *     runs only; empty otherwise). The arrays are the report's own: do not modify them.
 */
public record ExecutionReport(
        String program,
        String spec,
        boolean functional,
        AcceleratorSpec.Clock referenceClock,
        double totalNs,
        List<EngineUsage> engines,
        List<DmaTraffic> dma,
        Traffic offChipCopies,
        Traffic onChipCopies,
        Traffic psumEvictions,
        long macs,
        Occupancy sbuf,
        Occupancy psum,
        List<TimelineEntry> timeline,
        Map<String, float[]> outputs) {

    public ExecutionReport {
        engines = List.copyOf(engines);
        dma = List.copyOf(dma);
        timeline = Collections.unmodifiableList(timeline);
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** Instructions and busy time of one engine. */
    public record EngineUsage(Engine engine, long instructions, double busyNs) {}

    /** Where a DMA moves data. */
    public enum Direction {
        DRAM_TO_SBUF, SBUF_TO_DRAM, DRAM_TO_DRAM, SBUF_TO_SBUF;

        public boolean offChip() {
            return this != SBUF_TO_SBUF;
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT).replace("_to_", "->");
        }
    }

    /** DMA instructions and bytes in one direction. */
    public record DmaTraffic(Direction direction, long instructions, long bytes) {}

    /** A count of instructions and the bytes they wrote. */
    public record Traffic(long instructions, long bytes) {}

    /** The most bytes of a memory live at one time, against its capacity. */
    public record Occupancy(long peakBytes, long capacityBytes) {}

    /** One instruction's place in time: for plots. */
    public record TimelineEntry(Engine engine, int index, double startNs, double endNs, String instruction) {}

    /** The total time in cycles of the reference clock. */
    public double totalCycles() {
        return totalNs * referenceClock.ghz();
    }

    public long instructions() {
        return engines.stream().mapToLong(EngineUsage::instructions).sum();
    }

    /** A human-readable summary (no timeline, outputs summarised). */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "program %s on %s (%s)%n", program, spec, functional ? "functional" : "timing only"));
        sb.append(String.format(Locale.ROOT, "total time      %.3f ns = %.1f cycles of %s (%.3f GHz)%n", totalNs,
                totalCycles(), referenceClock.name(), referenceClock.ghz()));
        sb.append(String.format(Locale.ROOT, "instructions    %d, matmul MACs %d%n", instructions(), macs));
        sb.append("engine          instructions     busy ns   busy %\n");
        for (EngineUsage e : engines) {
            sb.append(String.format(Locale.ROOT, "  %-12s %12d %11.3f %7.1f%n", e.engine().text(), e.instructions(), e.busyNs(),
                    totalNs > 0 ? 100 * e.busyNs() / totalNs : 0.0));
        }
        sb.append("dma direction   instructions       bytes\n");
        for (DmaTraffic d : dma) {
            sb.append(String.format(Locale.ROOT, "  %-12s %12d %11d%n", d.direction().text(), d.instructions(), d.bytes()));
        }
        sb.append(String.format(Locale.ROOT, "off-chip copies %d (%d bytes)%n", offChipCopies.instructions(), offChipCopies.bytes()));
        sb.append(String.format(Locale.ROOT, "on-chip copies  %d (%d bytes)%n", onChipCopies.instructions(), onChipCopies.bytes()));
        sb.append(String.format(Locale.ROOT, "psum evictions  %d (%d bytes)%n", psumEvictions.instructions(), psumEvictions.bytes()));
        sb.append(String.format(Locale.ROOT, "sbuf peak       %d of %d bytes%n", sbuf.peakBytes(), sbuf.capacityBytes()));
        sb.append(String.format(Locale.ROOT, "psum peak       %d of %d bytes%n", psum.peakBytes(), psum.capacityBytes()));
        for (Map.Entry<String, float[]> o : outputs.entrySet()) {
            sb.append(String.format(Locale.ROOT, "output %s: %s%n", o.getKey(), summary(o.getValue()).text()));
        }
        return sb.toString();
    }

    /** Statistics of an output tensor, as the text and JSON forms print them. */
    public record OutputSummary(int elements, double sum, float min, float max, List<Float> first) {
        String text() {
            return String.format(Locale.ROOT, "%d elements, sum %.6g, min %s, max %s, first %s", elements, sum, min, max, first);
        }
    }

    public static OutputSummary summary(float[] values) {
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        List<Float> first = new ArrayList<>();
        for (int i = 0; i < Math.min(8, values.length); i++) {
            first.add(values[i]);
        }
        return new OutputSummary(values.length, sum, min, max, first);
    }

    /** The report as one JSON object; {@code withTimeline} adds every instruction's start and end. */
    public String toJson(boolean withTimeline) {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "program", quote(program)).append(',');
        field(sb, "spec", quote(spec)).append(',');
        field(sb, "mode", quote(functional ? "functional" : "timing")).append(',');
        sb.append("\"reference_clock\":{");
        field(sb, "name", quote(referenceClock.name())).append(',');
        field(sb, "ghz", num(referenceClock.ghz())).append("},");
        field(sb, "total_ns", num(totalNs)).append(',');
        field(sb, "total_cycles", num(totalCycles())).append(',');
        field(sb, "instructions", Long.toString(instructions())).append(',');
        field(sb, "macs", Long.toString(macs)).append(',');
        sb.append("\"engines\":[");
        for (int i = 0; i < engines.size(); i++) {
            EngineUsage e = engines.get(i);
            sb.append(i == 0 ? "" : ",").append('{');
            field(sb, "engine", quote(e.engine().text())).append(',');
            field(sb, "instructions", Long.toString(e.instructions())).append(',');
            field(sb, "busy_ns", num(e.busyNs())).append('}');
        }
        sb.append("],\"dma\":[");
        for (int i = 0; i < dma.size(); i++) {
            DmaTraffic d = dma.get(i);
            sb.append(i == 0 ? "" : ",").append('{');
            field(sb, "direction", quote(d.direction().text())).append(',');
            field(sb, "instructions", Long.toString(d.instructions())).append(',');
            field(sb, "bytes", Long.toString(d.bytes())).append('}');
        }
        sb.append("],");
        traffic(sb, "off_chip_copies", offChipCopies).append(',');
        traffic(sb, "on_chip_copies", onChipCopies).append(',');
        traffic(sb, "psum_evictions", psumEvictions).append(',');
        occupancy(sb, "sbuf", sbuf).append(',');
        occupancy(sb, "psum", psum).append(',');
        sb.append("\"outputs\":{");
        int n = 0;
        for (Map.Entry<String, float[]> o : outputs.entrySet()) {
            OutputSummary s = summary(o.getValue());
            sb.append(n++ == 0 ? "" : ",").append(quote(o.getKey())).append(":{");
            field(sb, "elements", Integer.toString(s.elements())).append(',');
            field(sb, "sum", value(s.sum())).append(',');
            field(sb, "min", value(s.min())).append(',');
            field(sb, "max", value(s.max())).append(',');
            sb.append("\"first\":[");
            for (int i = 0; i < s.first().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(value(s.first().get(i)));
            }
            sb.append("]}");
        }
        sb.append('}');
        if (withTimeline) {
            sb.append(",\"timeline\":[");
            for (int i = 0; i < timeline.size(); i++) {
                TimelineEntry t = timeline.get(i);
                sb.append(i == 0 ? "" : ",").append('{');
                field(sb, "engine", quote(t.engine().text())).append(',');
                field(sb, "index", Integer.toString(t.index())).append(',');
                field(sb, "start_ns", num(t.startNs())).append(',');
                field(sb, "end_ns", num(t.endNs())).append(',');
                field(sb, "instruction", quote(t.instruction())).append('}');
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        return sb.append('"').append(name).append("\":").append(value);
    }

    private static StringBuilder traffic(StringBuilder sb, String name, Traffic t) {
        return sb.append('"').append(name).append("\":{\"instructions\":").append(t.instructions()).append(",\"bytes\":")
                .append(t.bytes()).append('}');
    }

    private static StringBuilder occupancy(StringBuilder sb, String name, Occupancy o) {
        return sb.append('"').append(name).append("\":{\"peak_bytes\":").append(o.peakBytes()).append(",\"capacity_bytes\":")
                .append(o.capacityBytes()).append('}');
    }

    /** Finite numbers as JSON numbers (3 decimals for fractions); NaN and infinities as strings. */
    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return quote(Double.toString(v));
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return threeDecimals(v);
    }

    /**
     * {@code String.format(Locale.ROOT, "%.3f", v)} without a formatter per call (a timeline has two
     * times per instruction): the shortest decimal form of {@code v} rounded half up to 3 decimals,
     * which is what the formatter computes, keeping the sign of a negative value that rounds to zero
     * ({@code -0.000}), which a BigDecimal cannot hold.
     */
    static String threeDecimals(double v) {
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).setScale(3, java.math.RoundingMode.HALF_UP);
        String s = d.toPlainString();
        return v < 0 && d.signum() == 0 ? "-" + s : s;
    }

    /** A data value, exactly (shortest round-trip form); NaN and infinities as strings. */
    private static String value(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? quote(Double.toString(v)) : Double.toString(v);
    }

    private static String value(float v) {
        return Float.isNaN(v) || Float.isInfinite(v) ? quote(Float.toString(v)) : Float.toString(v);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
