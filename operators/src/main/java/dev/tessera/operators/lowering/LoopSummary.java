package dev.tessera.operators.lowering;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The figures of a loop-IR program, every one counted exactly with the Presburger library on the
 * statements' isl text:
 * <ul>
 *   <li><b>MACs</b>: the points of the matmul statements' domains;
 *   <li><b>DMA loads / stores</b> (DRAM → SBUF / SBUF → DRAM, a Gather's indirect fetch included)
 *       and <b>copies</b> (off-chip when they touch DRAM, on-chip otherwise): instructions are the
 *       points of a statement's domain projected on its {@code tiles} dimensions, bytes the points
 *       of its domain times the element size;
 *   <li><b>PSUM evictions</b>: statements reading PSUM and writing SBUF (one per matmul result);
 *   <li><b>SBUF peak</b>: the largest total of SBUF tiles one operator uses (the baseline frees
 *       every tile when its operator ends).
 * </ul>
 */
public record LoopSummary(String model, String spec, String dtype, int statements, int buffers, long macs,
        Traffic loads, Traffic stores, Traffic onChipCopies, Traffic offChipCopies, Traffic psumEvictions,
        long sbufPeakBytes, Map<String, Traffic> loadsPerNode, Map<String, Traffic> storesPerNode) {

    /** Instructions and bytes. */
    public record Traffic(long count, long bytes) {
        static final Traffic NONE = new Traffic(0, 0);

        Traffic plus(Traffic o) {
            return new Traffic(count + o.count, bytes + o.bytes);
        }
    }

    public static LoopSummary of(LoopProgram p) {
        long macs = 0;
        Traffic loads = Traffic.NONE;
        Traffic stores = Traffic.NONE;
        Traffic onChip = Traffic.NONE;
        Traffic offChip = Traffic.NONE;
        Traffic evictions = Traffic.NONE;
        Map<String, Traffic> loadsPerNode = new LinkedHashMap<>();
        Map<String, Traffic> storesPerNode = new LinkedHashMap<>();
        Map<String, Set<String>> sbufPerNode = new LinkedHashMap<>();
        for (Statement s : p.statements()) {
            Buffer out = p.buffer(s.write().buffer());
            boolean readsDram = false;
            boolean readsPsum = false;
            for (Access a : s.reads()) {
                MemorySpace space = p.buffer(a.buffer()).space();
                readsDram |= space == MemorySpace.DRAM;
                readsPsum |= space == MemorySpace.PSUM;
            }
            Set<String> sbuf = sbufPerNode.computeIfAbsent(s.node(), k -> new LinkedHashSet<>());
            for (Access a : s.accesses()) {
                if (p.buffer(a.buffer()).space() == MemorySpace.SBUF) {
                    sbuf.add(a.buffer());
                }
            }
            String domain = s.domain().isl(s.name());
            switch (s.kind()) {
                case MATMUL -> macs += Presburger.card(domain);
                case DMA -> {
                    Traffic t = traffic(s, domain, out);
                    if (out.space() == MemorySpace.DRAM) {
                        stores = stores.plus(t);
                        storesPerNode.merge(s.node(), t, Traffic::plus);
                    } else {
                        loads = loads.plus(t);
                        loadsPerNode.merge(s.node(), t, Traffic::plus);
                    }
                }
                case COPY -> {
                    Traffic t = traffic(s, domain, out);
                    if (readsDram || out.space() == MemorySpace.DRAM) {
                        offChip = offChip.plus(t);
                    } else {
                        onChip = onChip.plus(t);
                    }
                }
                default -> {
                    if (readsPsum && out.space() == MemorySpace.SBUF) {
                        evictions = evictions.plus(traffic(s, domain, out));
                    }
                }
            }
        }
        long peak = 0;
        for (Set<String> names : sbufPerNode.values()) {
            long total = 0;
            for (String b : names) {
                total += p.buffer(b).bytes();
            }
            peak = Math.max(peak, total);
        }
        return new LoopSummary(p.model(), p.spec(), p.dtype().text(), p.statements().size(), p.buffers().size(), macs,
                loads, stores, onChip, offChip, evictions, peak, loadsPerNode, storesPerNode);
    }

    /** MACs alone: the points of the matmul statements' domains. */
    public static long macs(LoopProgram p) {
        long macs = 0;
        for (Statement s : p.statements()) {
            if (s.kind() == StatementKind.MATMUL) {
                macs += Presburger.card(s.domain().isl(s.name()));
            }
        }
        return macs;
    }

    private static Traffic traffic(Statement s, String domain, Buffer written) {
        long elements = Presburger.card(domain);
        return new Traffic(Presburger.cardOfPrefix(domain, s.tiles()), elements * written.type().bytes());
    }

    /** The summary as one JSON object (keys in a fixed order). */
    public String toJson() {
        return "{\"model\":" + LoopText.quote(model) + ",\"spec\":" + LoopText.quote(spec) + ",\"dtype\":"
                + LoopText.quote(dtype) + ",\"statements\":" + statements + ",\"buffers\":" + buffers + ",\"macs\":"
                + macs + ",\"dma_loads\":" + json(loads) + ",\"dma_stores\":" + json(stores) + ",\"on_chip_copies\":"
                + json(onChipCopies) + ",\"off_chip_copies\":" + json(offChipCopies) + ",\"psum_evictions\":"
                + json(psumEvictions) + ",\"sbuf_peak_bytes\":" + sbufPeakBytes + "}";
    }

    private static String json(Traffic t) {
        return "{\"count\":" + t.count() + ",\"bytes\":" + t.bytes() + "}";
    }
}
