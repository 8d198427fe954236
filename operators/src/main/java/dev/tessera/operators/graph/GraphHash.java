package dev.tessera.operators.graph;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of a graph: the SHA-256 of its canonical text form ({@link GraphText#print}), as 64
 * lower-case hex digits. Equal graphs have equal hashes; any change to a name, shape, dtype, role,
 * order or attribute changes it. Validation fills in inferred shapes, so hash the validated graph
 * when two sources may differ only in which shapes they declare.
 */
public final class GraphHash {
    private GraphHash() {}

    public static String sha256(Graph graph) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(GraphText.print(graph).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
