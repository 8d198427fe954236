package dev.tessera.operators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the compiler, as built. It is part of every result and of the dedup key, so a
 * compiler upgrade recompiles every model version it sees again.
 */
public final class CompilerVersion {
    private static final String RESOURCE = "/dev/tessera/operators/compiler.properties";
    private static final String VALUE = load();

    private CompilerVersion() {}

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VALUE;
    }

    private static String load() {
        try (InputStream in = CompilerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the classpath: the build did not package it");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            if (v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " holds no filtered version: '" + v + "'");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
