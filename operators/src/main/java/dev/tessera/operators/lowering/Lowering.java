package dev.tessera.operators.lowering;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import java.util.List;

/**
 * Graph IR → loop IR, the baseline: every operator lowered on its own, tiled to the spec's
 * limits, loading its inputs DRAM → SBUF, computing, storing its outputs SBUF → DRAM.
 *
 * <p>The passes, in order:
 * <ol>
 *   <li>{@code dram-buffers}: one DRAM buffer per graph tensor, in the graph's order;
 *   <li>{@code per-operator}: each node, in the graph's order, by its family's lowering
 *       ({@link ElementwiseLowering}, {@link MatMulLowering}, {@link ConvLowering},
 *       {@link PoolLowering}, {@link ReductionLowering}, {@link GatherLowering},
 *       {@link LayoutLowering}, {@link ResizeLowering}); node {@code i}'s statements all start their time at {@code [i, …]};
 *   <li>{@code verify}: the {@link LoopVerifier} (when {@link LoweringOptions#verify()}).
 * </ol>
 */
public final class Lowering {
    /** The pass names, in the order they run. */
    public static final List<String> PASSES = List.of("dram-buffers", "per-operator", "verify");

    private Lowering() {}

    /**
     * Lowers a validated graph.
     *
     * @throws dev.tessera.operators.InvalidModelException when an operator cannot be lowered (a
     *         documented limit), naming the node
     * @throws dev.tessera.operators.InternalCompilerError when the result fails verification
     */
    public static LoopProgram lower(Graph validated, AcceleratorSpec spec, LoweringOptions options) {
        ProgramBuilder program = new ProgramBuilder(validated, spec, options);
        program.declareDram();
        List<Node> nodes = validated.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            lowerNode(new NodeLowering(program, nodes.get(i), i));
        }
        LoopProgram result = program.build();
        if (options.verify()) {
            LoopVerifier.verify(result, spec);
        }
        return result;
    }

    private static void lowerNode(NodeLowering n) {
        switch (n.node().opType()) {
            case "Conv", "ConvTranspose" -> ConvLowering.lower(n);
            case "MatMul", "Gemm" -> MatMulLowering.lower(n);
            case "MaxPool", "AveragePool" -> PoolLowering.lower(n);
            case "GlobalAveragePool", "ReduceMean", "Softmax", "LayerNormalization" -> ReductionLowering.lower(n);
            case "Gather" -> GatherLowering.lower(n);
            case "Concat", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Slice", "Split", "Pad",
                    "Identity", "Cast" -> LayoutLowering.lower(n);
            case "Resize" -> ResizeLowering.lower(n);
            default -> ElementwiseLowering.lower(n);
        }
    }
}
