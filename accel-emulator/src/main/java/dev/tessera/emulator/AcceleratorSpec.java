package dev.tessera.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * One NeuronCore as data: memory sizes, partition rules, matmul tile limits and the engine costs,
 * read from a versioned YAML profile ({@code accel-emulator/specs/*.yaml}, also on the classpath
 * under {@code dev/tessera/emulator/specs/}). One compile targets one core.
 *
 * <p>The limits a compiler tiles for are the named queries below; lowering, memory planning and the
 * emulator all ask these, so the numbers a plan is built for are the numbers it is checked against:
 * <ul>
 *   <li>{@link #partitions()}: SBUF and PSUM are 2-D, {@code partitions × bytes per partition}; an
 *       access spans consecutive partitions at the same offset in each.</li>
 *   <li>{@link #sbufBytesPerPartition()}, {@link #psumBytesPerPartition()}, {@link #psumBanks()},
 *       {@link #psumBankBytes()}: capacities; a matmul result lies inside one PSUM bank.</li>
 *   <li>{@link #maxContraction()} (K, on partitions), {@link #maxStationaryFree()} (M, the result's
 *       partitions), {@link #maxMovingFree()} (N, the result's free size): one matmul computes
 *       {@code out[M][N] (+)= stationary[K][M]ᵀ · moving[K][N]}.</li>
 *   <li>{@link #maxFreeDims()} and {@link #maxDramDims()}: the rank of access patterns (DMA
 *       descriptors and engine operands).</li>
 *   <li>{@link #isPartitionStartAllowed(int, int)}: where an engine access of n partitions may start
 *       (on inferentia2: n ≤ 32 at 0/32/64/96, n ≤ 64 at 0/64, otherwise at 0).</li>
 * </ul>
 * Example: on {@code inferentia2}, a 256×1024 by 1024×512 matmul tiles into K = 8 tiles of 128
 * partitions and M = 2 tiles of 128; each of the 2 results of 128×512 fp32 fills exactly one of the 8
 * PSUM banks ({@code 512 × 4 B = psumBankBytes()}).
 *
 * <p>Costs (used by the timing model, all in the engine's own clock): a matmul takes
 * {@code fixed + max(N, minCyclesPerMatmul) × (fp32 inputs ? fp32CostFactor : 1)} tensor cycles; a
 * vector or scalar instruction {@code fixed + ⌈elements per partition / elements per lane per
 * cycle⌉ × ⌈partitions / lanes⌉} cycles; a DMA {@code fixed cycles + bytes / bandwidth}, on one of
 * {@link Dma#queues()} queues that run concurrently.
 */
public record AcceleratorSpec(
        String name,
        int version,
        String description,
        List<String> assumptions,
        Clock referenceClock,
        Memory sbuf,
        Psum psum,
        List<PartitionStartRule> partitionStartRules,
        int maxFreeDims,
        TensorEngine tensorEngine,
        StreamEngine vectorEngine,
        StreamEngine scalarEngine,
        Dma dma,
        long dramBytes) {

    /** The profile layout this class reads. */
    public static final int FORMAT = 1;

    /** The profiles packaged with the emulator, loadable by name. */
    public static final List<String> BUILT_IN = List.of("inferentia1", "inferentia2");

    public AcceleratorSpec {
        assumptions = List.copyOf(assumptions);
        partitionStartRules = List.copyOf(partitionStartRules);
    }

    /** A clock that reports count cycles of. */
    public record Clock(String name, double ghz) {}

    /** SBUF: {@code partitions × bytesPerPartition}. */
    public record Memory(int partitions, int bytesPerPartition) {
        public long capacityBytes() {
            return (long) partitions * bytesPerPartition;
        }
    }

    /** PSUM: like SBUF, each partition split into equal banks. */
    public record Psum(int partitions, int bytesPerPartition, int banks) {
        public int bankBytes() {
            return bytesPerPartition / banks;
        }

        public long capacityBytes() {
            return (long) partitions * bytesPerPartition;
        }
    }

    /** An access spanning at most {@code maxPartitions} partitions may start at one of {@code starts}. */
    public record PartitionStartRule(int maxPartitions, List<Integer> starts) {
        public PartitionStartRule {
            starts = List.copyOf(starts);
        }
    }

    /** The systolic array's limits and cost. */
    public record TensorEngine(double clockGhz, int maxContraction, int maxStationaryFree, int maxMovingFree,
            int minCyclesPerMatmul, int fp32CostFactor, int fixedCycles) {}

    /** A lane-parallel engine (vector, scalar/activation). */
    public record StreamEngine(double clockGhz, int lanes, int elementsPerLanePerCycle, int fixedCycles) {}

    /** The DMA queues of one core. */
    public record Dma(int queues, double clockGhz, double bandwidthGibPerS, int fixedCycles) {
        /** Bytes one queue moves per ns. */
        public double bytesPerNs() {
            return bandwidthGibPerS * (1L << 30) / 1e9;
        }

        /** The fixed cost of one DMA instruction, in ns. */
        public double fixedNs() {
            return fixedCycles / clockGhz;
        }
    }

    // ---- named queries the compiler tiles for --------------------------------------------------

    /** Partitions of SBUF and PSUM (128 on both profiles). */
    public int partitions() {
        return sbuf.partitions();
    }

    public int sbufBytesPerPartition() {
        return sbuf.bytesPerPartition();
    }

    public int psumBytesPerPartition() {
        return psum.bytesPerPartition();
    }

    public int psumBanks() {
        return psum.banks();
    }

    public int psumBankBytes() {
        return psum.bankBytes();
    }

    /** K: the contraction of one matmul, laid on partitions. */
    public int maxContraction() {
        return tensorEngine.maxContraction();
    }

    /** M: the stationary free size, which becomes the partitions of the PSUM result. */
    public int maxStationaryFree() {
        return tensorEngine.maxStationaryFree();
    }

    /** N: the moving free size, which becomes the free size of the PSUM result. */
    public int maxMovingFree() {
        return tensorEngine.maxMovingFree();
    }

    /** Free dimensions of an SBUF/PSUM access pattern (DMA descriptors and engine operands). */
    public int maxFreeDims() {
        return maxFreeDims;
    }

    /** Dimensions of a DRAM access pattern: one more than {@link #maxFreeDims()}, for the partitions. */
    public int maxDramDims() {
        return maxFreeDims + 1;
    }

    /** The start partitions an engine access of {@code count} partitions may use, ascending. */
    public List<Integer> allowedPartitionStarts(int count) {
        for (PartitionStartRule rule : partitionStartRules) {
            if (count <= rule.maxPartitions()) {
                return rule.starts();
            }
        }
        return List.of();
    }

    /** Whether an engine access of {@code count} partitions may start at partition {@code start}. */
    public boolean isPartitionStartAllowed(int start, int count) {
        return count >= 1 && allowedPartitionStarts(count).contains(start);
    }

    /** Number of DMA queues: streams {@code dma0 … dma(n-1)} may be used. */
    public int dmaQueues() {
        return dma.queues();
    }

    // ---- loading ----------------------------------------------------------------------------------

    /** A built-in profile by name ({@code inferentia1}, {@code inferentia2}) or a YAML file path. */
    public static AcceleratorSpec load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath);
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new SpecException("no profile '" + nameOrPath + "': not one of " + BUILT_IN + " and not a file");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A profile packaged with the emulator. */
    public static AcceleratorSpec builtIn(String name) {
        String resource = "specs/" + name + ".yaml";
        try (InputStream in = AcceleratorSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SpecException("no built-in profile '" + name + "'; built-in: " + BUILT_IN);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".yaml");
        } catch (IOException e) {
            throw new SpecException(name + ".yaml: cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses and validates a profile; {@code source} names it in messages. */
    public static AcceleratorSpec parse(String yaml, String source) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new SpecException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        SpecFields f = SpecFields.root(source, document);
        int format = f.positiveInt("format");
        if (format != FORMAT) {
            throw f.error("format", "is " + format + "; this emulator reads format " + FORMAT);
        }
        String name = f.text("name");
        int version = f.positiveInt("version");
        String description = f.text("description");
        List<String> assumptions = f.texts("assumptions");

        SpecFields clock = f.child("reference_clock");
        Clock reference = new Clock(clock.text("name"), clock.positiveDouble("ghz"));
        clock.rejectUnknown();

        SpecFields s = f.child("sbuf");
        Memory sbuf = new Memory(s.positiveInt("partitions"), s.positiveInt("bytes_per_partition"));
        s.rejectUnknown();

        SpecFields p = f.child("psum");
        Psum psum = new Psum(p.positiveInt("partitions"), p.positiveInt("bytes_per_partition"), p.positiveInt("banks"));
        p.rejectUnknown();
        if (psum.partitions() != sbuf.partitions()) {
            throw p.error("partitions", "is " + psum.partitions() + " but sbuf.partitions is " + sbuf.partitions()
                    + "; both memories have the same partitions");
        }
        if (psum.bytesPerPartition() % psum.banks() != 0) {
            throw p.error("banks", "must divide psum.bytes_per_partition (" + psum.bytesPerPartition() + "), got "
                    + psum.banks());
        }

        List<PartitionStartRule> rules = new ArrayList<>();
        for (SpecFields r : f.children("partition_start_rules")) {
            PartitionStartRule rule = new PartitionStartRule(r.positiveInt("max_partitions"), r.nonNegativeInts("starts"));
            r.rejectUnknown();
            int previous = rules.isEmpty() ? 0 : rules.get(rules.size() - 1).maxPartitions();
            if (rule.maxPartitions() <= previous) {
                throw r.error("max_partitions", "must grow from rule to rule, got " + rule.maxPartitions()
                        + " after " + previous);
            }
            for (int start : rule.starts()) {
                if (start + rule.maxPartitions() > sbuf.partitions()) {
                    throw r.error("starts", "holds " + start + ", but an access of " + rule.maxPartitions()
                            + " partitions starting there passes partition " + sbuf.partitions());
                }
            }
            rules.add(rule);
        }
        if (rules.get(rules.size() - 1).maxPartitions() != sbuf.partitions()) {
            throw new SpecException(source + ": field 'partition_start_rules' must end with max_partitions "
                    + sbuf.partitions() + " (all partitions), got " + rules.get(rules.size() - 1).maxPartitions());
        }
        int maxFreeDims = f.positiveInt("max_free_dims");

        SpecFields t = f.child("tensor_engine");
        TensorEngine tensor = new TensorEngine(t.positiveDouble("clock_ghz"), t.positiveInt("max_contraction"),
                t.positiveInt("max_stationary_free"), t.positiveInt("max_moving_free"),
                t.positiveInt("min_cycles_per_matmul"), t.positiveInt("fp32_cost_factor"), t.nonNegativeInt("fixed_cycles"));
        t.rejectUnknown();
        if (tensor.maxContraction() > sbuf.partitions()) {
            throw t.error("max_contraction", "is " + tensor.maxContraction() + ", more than the "
                    + sbuf.partitions() + " partitions it is laid on");
        }
        if (tensor.maxStationaryFree() > psum.partitions()) {
            throw t.error("max_stationary_free", "is " + tensor.maxStationaryFree()
                    + ", more than the " + psum.partitions() + " PSUM partitions of the result");
        }
        if ((long) tensor.maxMovingFree() * StorageDtype.FP32.bytes() > psum.bankBytes()) {
            throw t.error("max_moving_free", "is " + tensor.maxMovingFree() + ": " + tensor.maxMovingFree()
                    + " fp32 results do not fit a PSUM bank of " + psum.bankBytes() + " bytes");
        }

        StreamEngine vector = streamEngine(f.child("vector_engine"));
        StreamEngine scalar = streamEngine(f.child("scalar_engine"));

        SpecFields d = f.child("dma");
        Dma dma = new Dma(d.positiveInt("queues"), d.positiveDouble("clock_ghz"), d.positiveDouble("bandwidth_gib_per_s"),
                d.nonNegativeInt("fixed_cycles"));
        d.rejectUnknown();

        SpecFields dram = f.child("dram");
        long dramBytes = dram.positiveLong("bytes");
        dram.rejectUnknown();
        f.rejectUnknown();

        for (String a : assumptions) {
            if (!f.knownPaths().contains(a)) {
                throw new SpecException(source + ": field 'assumptions' names '" + a + "', which is not a field of the profile");
            }
        }
        return new AcceleratorSpec(name, version, description, assumptions, reference, sbuf, psum, rules, maxFreeDims,
                tensor, vector, scalar, dma, dramBytes);
    }

    private static StreamEngine streamEngine(SpecFields e) {
        StreamEngine engine = new StreamEngine(e.positiveDouble("clock_ghz"), e.positiveInt("lanes"),
                e.positiveInt("elements_per_lane_per_cycle"), e.nonNegativeInt("fixed_cycles"));
        e.rejectUnknown();
        return engine;
    }
}
