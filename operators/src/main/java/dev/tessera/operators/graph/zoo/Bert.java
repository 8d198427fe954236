package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.Graph;
import java.util.Map;

/**
 * BERT-base (Devlin et al. 2018: L = 12 layers, H = 768, A = 12 heads, feed-forward 4H = 3072;
 * vocabulary 30522, 512 positions, 2 token types) at batch 1, sequence 128, and the transformer
 * encoder layer it is made of.
 *
 * <p>Embeddings are three Gather lookups (word, position, token type; the position ids are an
 * input) added and layer-normalized. An encoder layer is
 *
 * <pre>
 * q, k, v  = x Wq + bq, x Wk + bk, x Wv + bv          [1, S, H] each, split into A heads of H/A
 * scores   = q kT                                      [1, A, S, S]
 * context  = softmax(scores) v, heads merged           [1, S, H]
 * x        = LayerNorm(x + context Wo + bo)
 * x        = LayerNorm(x + Gelu(x W1 + b1) W2 + b2)    W1 [H, 4H], W2 [4H, H]
 * </pre>
 *
 * The 1/sqrt(H/A) score scale is folded into Wq and bq (a free reparametrization) so that no
 * constant tensor appears among the weights. No attention mask: every position attends to all.
 * The pooler (first token, dense H x H, Tanh) is included, as in the published parameter count.
 */
final class Bert {
    private static final double LN_EPSILON = 1e-12;

    private Bert() {}

    static Graph bertBase() {
        long seq = 128;
        long hidden = 768;
        Layers l = new Layers("bert-base");
        String ids = l.indices("input_ids", 1, seq);
        String types = l.indices("token_type_ids", 1, seq);
        String positions = l.indices("position_ids", 1, seq);
        String x = l.add("embeddings.add1", l.embedding("embeddings.word", ids, 30522, hidden),
                l.embedding("embeddings.position", positions, 512, hidden));
        x = l.add("embeddings.add2", x, l.embedding("embeddings.token_type", types, 2, hidden));
        x = l.layerNorm("embeddings.layernorm", x, LN_EPSILON);
        for (int i = 0; i < 12; i++) {
            x = encoderLayer(l, "encoder." + i, x, 12, 3072);
        }
        String first = l.op("Slice", "pooler.first_token", x, Layers.attrs(
                "starts", Attribute.ints(0), "ends", Attribute.ints(1), "axes", Attribute.ints(1)));
        first = l.op("Reshape", "pooler.squeeze", first, Map.of("shape", Attribute.ints(1, hidden)));
        String pooled = l.op("Tanh", "pooler.tanh", l.linear("pooler.dense", first, hidden), Map.of());
        return l.build(x, pooled);
    }

    /** One post-norm transformer encoder layer over x [1, S, H] with the given heads and feed-forward width. */
    static String encoderLayer(Layers l, String name, String x, long heads, long ffn) {
        long hidden = l.lastDim(x);
        long headSize = hidden / heads;
        String q = splitHeads(l, name + ".query", l.dense(name + ".query", x, hidden), heads, headSize, false);
        String k = splitHeads(l, name + ".key", l.dense(name + ".key", x, hidden), heads, headSize, true);
        String v = splitHeads(l, name + ".value", l.dense(name + ".value", x, hidden), heads, headSize, false);
        String probs = l.op("Softmax", name + ".softmax", l.matMul(name + ".scores", q, k),
                Map.of("axis", Attribute.of(-1)));
        String context = l.matMul(name + ".context", probs, v);
        context = l.op("Transpose", name + ".merge_heads", context, Map.of("perm", Attribute.ints(0, 2, 1, 3)));
        context = l.op("Reshape", name + ".merge_heads.reshape", context,
                Map.of("shape", Attribute.ints(0, 0, hidden)));
        String attention = l.dense(name + ".attention.output", context, hidden);
        x = l.layerNorm(name + ".attention.layernorm", l.add(name + ".attention.residual", x, attention), LN_EPSILON);
        String h = l.op("Gelu", name + ".gelu", l.dense(name + ".intermediate", x, ffn), Map.of());
        String out = l.dense(name + ".output", h, hidden);
        return l.layerNorm(name + ".output.layernorm", l.add(name + ".output.residual", x, out), LN_EPSILON);
    }

    /** [1, S, H] to [1, A, S, H/A] (queries, values) or [1, A, H/A, S] (keys, ready for q kT). */
    private static String splitHeads(Layers l, String name, String x, long heads, long headSize, boolean transposed) {
        String y = l.op("Reshape", name + ".split_heads", x, Map.of("shape", Attribute.ints(0, 0, heads, headSize)));
        Attribute perm = transposed ? Attribute.ints(0, 2, 3, 1) : Attribute.ints(0, 2, 1, 3);
        return l.op("Transpose", name + ".transpose", y, Map.of("perm", perm));
    }
}
