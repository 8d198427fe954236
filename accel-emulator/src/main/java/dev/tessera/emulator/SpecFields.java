package dev.tessera.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, path-aware reads from a parsed YAML mapping. Every failure names the profile and the dotted
 * path of the field ({@code psum.banks}), and every mapping must be read completely: a key nobody
 * asked for is an error, so a misspelt field cannot silently fall back to nothing.
 */
final class SpecFields {
    private final String source;
    private final String path;
    private final Map<String, Object> map;
    private final Set<String> read = new TreeSet<>();
    private final List<String> paths;

    private SpecFields(String source, String path, Map<String, Object> map, List<String> paths) {
        this.source = source;
        this.path = path;
        this.map = map;
        this.paths = paths;
    }

    static SpecFields root(String source, Object document) {
        if (!(document instanceof Map<?, ?>)) {
            throw new SpecException(source + ": a profile is a YAML mapping of fields, got "
                    + (document == null ? "an empty document" : document.getClass().getSimpleName()));
        }
        return new SpecFields(source, "", stringKeys(source, "", (Map<?, ?>) document), new ArrayList<>());
    }

    private static Map<String, Object> stringKeys(String source, String path, Map<?, ?> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new SpecException(source + ": field names must be text, got " + e.getKey()
                        + (path.isEmpty() ? "" : " under '" + path + "'"));
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    /** Every field path read so far from this mapping and its children. */
    List<String> knownPaths() {
        return paths;
    }

    private String full(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    SpecException error(String key, String problem) {
        return new SpecException(source + ": field '" + full(key) + "' " + problem);
    }

    private Object require(String key) {
        read.add(key);
        paths.add(full(key));
        if (!map.containsKey(key) || map.get(key) == null) {
            throw error(key, "is missing");
        }
        return map.get(key);
    }

    String text(String key) {
        Object v = require(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw error(key, "must be non-empty text, got " + v);
        }
        return s;
    }

    long positiveLong(String key) {
        Object v = require(key);
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() <= 0) {
            throw error(key, "must be a positive integer, got " + v);
        }
        return ((Number) v).longValue();
    }

    int positiveInt(String key) {
        long v = positiveLong(key);
        if (v > Integer.MAX_VALUE) {
            throw error(key, "is too large: " + v);
        }
        return (int) v;
    }

    int nonNegativeInt(String key) {
        Object v = require(key);
        if (!(v instanceof Integer i) || i < 0) {
            throw error(key, "must be an integer >= 0, got " + v);
        }
        return i;
    }

    double positiveDouble(String key) {
        Object v = require(key);
        if (!(v instanceof Number n) || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue())) {
            throw error(key, "must be a positive number, got " + v);
        }
        return n.doubleValue();
    }

    SpecFields child(String key) {
        Object v = require(key);
        if (!(v instanceof Map<?, ?> m)) {
            throw error(key, "must be a mapping of fields, got " + v);
        }
        return new SpecFields(source, full(key), stringKeys(source, full(key), m), paths);
    }

    List<SpecFields> children(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw error(key, "must be a non-empty list, got " + v);
        }
        List<SpecFields> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw error(key, "entry " + i + " must be a mapping, got " + list.get(i));
            }
            String p = full(key) + "[" + i + "]";
            out.add(new SpecFields(source, p, stringKeys(source, p, m), new ArrayList<>()));
        }
        return out;
    }

    List<Integer> nonNegativeInts(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw error(key, "must be a non-empty list of integers, got " + v);
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Integer i) || i < 0) {
                throw error(key, "must hold integers >= 0, got " + o);
            }
            out.add(i);
        }
        return List.copyOf(out);
    }

    List<String> texts(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> list)) {
            throw error(key, "must be a list of text, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw error(key, "must hold text, got " + o);
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** Fails on any key of this mapping that no read asked for. Call after reading all fields. */
    void rejectUnknown() {
        for (String key : map.keySet()) {
            if (!read.contains(key)) {
                throw new SpecException(source + ": unknown field '" + full(key) + "'");
            }
        }
    }
}
