package dev.tessera.operators.lowering;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the buffers and statements of a program under construction and hands out unique isl
 * identifiers (a graph name such as {@code encoder.0.query} becomes {@code encoder_0_query}, with a
 * numeric suffix when taken).
 */
final class ProgramBuilder {
    private final Graph graph;
    private final AcceleratorSpec spec;
    private final LoweringOptions options;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> dramOf = new LinkedHashMap<>();
    private final List<Buffer> buffers = new ArrayList<>();
    private final List<Statement> statements = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    ProgramBuilder(Graph graph, AcceleratorSpec spec, LoweringOptions options) {
        this.graph = graph;
        this.spec = spec;
        this.options = options;
        for (Tensor t : graph.tensors()) {
            tensors.put(t.name(), t);
        }
    }

    AcceleratorSpec spec() {
        return spec;
    }

    LoweringOptions options() {
        return options;
    }

    Tensor tensor(String name) {
        return tensors.get(name);
    }

    /**
     * The element type a tensor is stored in: the compile's storage type for floating-point
     * tensors, the tensor's own width for integer and bool tensors.
     */
    ElementType typeOf(Tensor t) {
        return switch (t.dtype()) {
            case INT64 -> ElementType.I64;
            case INT32 -> ElementType.I32;
            case INT8 -> ElementType.I8;
            case UINT8 -> ElementType.U8;
            case BOOL -> ElementType.BOOL;
            case FLOAT32, FLOAT16, BFLOAT16 -> ElementType.of(options.dtype());
        };
    }

    ElementType storage() {
        return ElementType.of(options.dtype());
    }

    /** Declares a DRAM buffer for every graph tensor, in the graph's order. */
    void declareDram() {
        for (Tensor t : graph.tensors()) {
            String name = unique(t.name());
            dramOf.put(t.name(), name);
            buffers.add(new Buffer(name, MemorySpace.DRAM, typeOf(t), t.shape(), t.name(), t.role()));
        }
    }

    String dram(String tensor) {
        return dramOf.get(tensor);
    }

    String onChip(String base, MemorySpace space, ElementType type, List<Long> shape) {
        String name = unique(base);
        buffers.add(new Buffer(name, space, type, shape, "", null));
        return name;
    }

    void add(Statement s) {
        statements.add(s);
    }

    /** A fresh identifier derived from {@code base}. */
    String unique(String base) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        if (sb.length() == 0 || !(Character.isLetter(sb.charAt(0)) || sb.charAt(0) == '_')) {
            sb.insert(0, 'v');
        }
        String id = sb.toString();
        if (!LoopText.isIdentifier(id)) {
            id = id + "_";
        }
        String candidate = id;
        for (int k = 1; names.contains(candidate); k++) {
            candidate = id + "_" + k;
        }
        names.add(candidate);
        return candidate;
    }

    LoopProgram build() {
        return new LoopProgram(graph.name(), spec.name(), storage(), buffers, statements);
    }
}
