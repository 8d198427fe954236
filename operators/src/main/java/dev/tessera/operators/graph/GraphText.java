package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical text form of a graph: used for golden files, diffs and {@link GraphHash}. One line
 * per item, tensors in declaration order, then nodes in their order, attributes sorted by name:
 *
 * <pre>
 * graph "conv-relu"
 * tensor "x" float32 input [1, 3, 32, 32]
 * tensor "conv.weight" float32 weight [16, 3, 3, 3]
 * tensor "conv" float32 activation [1, 16, 32, 32]
 * tensor "y" float32 output ?
 * node "conv" Conv ("x", "conv.weight", "") -&gt; ("conv") pads=ints[1, 1, 1, 1] strides=ints[1, 1]
 * node "relu" Relu ("conv") -&gt; ("y")
 * </pre>
 *
 * Names and strings are always quoted (JSON-style escapes); a shape not yet inferred prints as
 * {@code ?}; attribute values are {@code 3} (int), {@code 0.5} (float, Java's round-trip decimal
 * form, always with a '.' or an exponent), {@code "s"} (string), {@code ints[..]},
 * {@code floats[..]}, {@code strs[..]}. {@link #parse} reads exactly what {@link #print} writes.
 */
public final class GraphText {
    private GraphText() {}

    public static String print(Graph graph) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph ").append(quote(graph.name())).append('\n');
        for (Tensor t : graph.tensors()) {
            sb.append("tensor ").append(quote(t.name())).append(' ').append(t.dtype().text()).append(' ')
                    .append(t.role().name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(t.hasShape() ? longs(t.shape()) : "?").append('\n');
        }
        for (Node n : graph.nodes()) {
            sb.append("node ").append(quote(n.name())).append(' ').append(n.opType()).append(' ')
                    .append(names(n.inputs())).append(" -> ").append(names(n.outputs()));
            for (Map.Entry<String, Attribute> a : n.attributes().entrySet()) {
                sb.append(' ').append(attributeName(a.getKey())).append('=').append(value(a.getValue()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the line and what was expected
     */
    public static Graph parse(String text) {
        String[] lines = text.split("\n", -1);
        String name = null;
        List<Tensor> tensors = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Cursor c = new Cursor(lines[i], i + 1);
            String keyword = c.word();
            if (name == null && !keyword.equals("graph")) {
                throw c.errorAtToken("expected 'graph \"name\"' first");
            }
            switch (keyword) {
                case "graph" -> {
                    if (name != null) {
                        throw c.error("a second 'graph' line");
                    }
                    name = c.string();
                }
                case "tensor" -> tensors.add(c.tensor());
                case "node" -> nodes.add(c.node());
                default -> throw c.errorAtToken("unknown keyword '" + keyword + "'");
            }
            c.end();
        }
        if (name == null) {
            throw new IllegalArgumentException("graph text is empty");
        }
        return new Graph(name, tensors, nodes);
    }

    private static String longs(List<Long> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(values.get(i));
        }
        return sb.append(']').toString();
    }

    private static String names(List<String> names) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(names.get(i)));
        }
        return sb.append(')').toString();
    }

    private static String attributeName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : quote(name);
    }

    private static String value(Attribute a) {
        if (a instanceof Attribute.Int i) {
            return Long.toString(i.value());
        } else if (a instanceof Attribute.Float f) {
            return Double.toString(f.value());
        } else if (a instanceof Attribute.Str s) {
            return quote(s.value());
        } else if (a instanceof Attribute.Ints i) {
            return "ints" + longs(i.values());
        } else if (a instanceof Attribute.Floats f) {
            StringBuilder sb = new StringBuilder("floats[");
            for (int k = 0; k < f.values().size(); k++) {
                sb.append(k == 0 ? "" : ", ").append(Double.toString(f.values().get(k)));
            }
            return sb.append(']').toString();
        }
        List<String> values = ((Attribute.Strs) a).values();
        StringBuilder sb = new StringBuilder("strs[");
        for (int k = 0; k < values.size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(quote(values.get(k)));
        }
        return sb.append(']').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A position in one line of the text form. */
    private static final class Cursor {
        private final String line;
        private final int number;
        private int pos;
        /** Where the last bare token began, for errors about its value. */
        private int tokenStart;

        Cursor(String line, int number) {
            this.line = line;
            this.number = number;
        }

        Tensor tensor() {
            String name = string();
            DType dtype;
            String dtypeText = word();
            try {
                dtype = DType.parse(dtypeText);
            } catch (IllegalArgumentException e) {
                throw errorAtToken(e.getMessage());
            }
            String roleText = word();
            TensorRole role;
            try {
                role = TensorRole.valueOf(roleText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw errorAtToken("unknown tensor role '" + roleText + "'; expected input, weight, activation or output");
            }
            skipSpaces();
            List<Long> shape = null;
            if (peek() == '?') {
                pos++;
            } else {
                shape = longList();
            }
            return new Tensor(name, shape, dtype, role);
        }

        Node node() {
            String name = string();
            String op = word();
            List<String> inputs = stringList('(', ')');
            expect("->");
            List<String> outputs = stringList('(', ')');
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            while (true) {
                skipSpaces();
                if (pos >= line.length()) {
                    break;
                }
                String key = peek() == '"' ? string() : word('=');
                expect("=");
                if (attributes.put(key, attribute()) != null) {
                    throw error("attribute '" + key + "' given twice");
                }
            }
            return new Node(name, op, inputs, outputs, attributes);
        }

        private Attribute attribute() {
            skipSpaces();
            if (peek() == '"') {
                return new Attribute.Str(string());
            }
            if (line.startsWith("ints", pos)) {
                pos += 4;
                return new Attribute.Ints(longList());
            }
            if (line.startsWith("floats", pos)) {
                pos += 6;
                List<Double> values = new ArrayList<>();
                for (String token : tokenList()) {
                    values.add(parseDouble(token));
                }
                return new Attribute.Floats(values);
            }
            if (line.startsWith("strs", pos)) {
                pos += 4;
                return new Attribute.Strs(stringList('[', ']'));
            }
            String token = word();
            boolean isFloat = token.contains(".") || token.contains("E") || token.contains("N")
                    || token.contains("I");
            return isFloat ? new Attribute.Float(parseDouble(token)) : new Attribute.Int(parseLong(token));
        }

        private List<Long> longList() {
            List<Long> values = new ArrayList<>();
            for (String token : tokenList()) {
                values.add(parseLong(token));
            }
            return values;
        }

        /** The comma-separated bare tokens of a [..] list. */
        private List<String> tokenList() {
            expect("[");
            List<String> tokens = new ArrayList<>();
            skipSpaces();
            if (peek() == ']') {
                pos++;
                return tokens;
            }
            while (true) {
                skipSpaces();
                int start = pos;
                while (pos < line.length() && ",] ".indexOf(line.charAt(pos)) < 0) {
                    pos++;
                }
                tokens.add(line.substring(start, pos));
                tokenStart = start;
                skipSpaces();
                char ch = next();
                if (ch == ']') {
                    return tokens;
                }
                if (ch != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private List<String> stringList(char open, char close) {
            expect(String.valueOf(open));
            List<String> values = new ArrayList<>();
            skipSpaces();
            if (peek() == close) {
                pos++;
                return values;
            }
            while (true) {
                values.add(string());
                skipSpaces();
                char ch = next();
                if (ch == close) {
                    return values;
                }
                if (ch != ',') {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        String string() {
            skipSpaces();
            if (peek() != '"') {
                throw error("expected a quoted string");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char ch = next();
                if (ch == '"') {
                    return sb.toString();
                }
                if (ch != '\\') {
                    sb.append(ch);
                    continue;
                }
                char esc = next();
                switch (esc) {
                    case '"', '\\' -> sb.append(esc);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > line.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(line.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("unknown escape '\\" + esc + "'");
                }
            }
        }

        String word() {
            return word(' ');
        }

        /** A bare token, up to a space or {@code stop}. */
        private String word(char stop) {
            skipSpaces();
            int start = pos;
            tokenStart = start;
            while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != stop) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a word");
            }
            return line.substring(start, pos);
        }

        void end() {
            skipSpaces();
            if (pos < line.length()) {
                throw error("unexpected text '" + line.substring(pos) + "'");
            }
        }

        private void expect(String token) {
            skipSpaces();
            if (!line.startsWith(token, pos)) {
                throw error("expected '" + token + "'");
            }
            pos += token.length();
        }

        private long parseLong(String token) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException e) {
                throw errorAtToken("'" + token + "' is not an integer");
            }
        }

        private double parseDouble(String token) {
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw errorAtToken("'" + token + "' is not a number");
            }
        }

        private void skipSpaces() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
        }

        private char peek() {
            return pos < line.length() ? line.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= line.length()) {
                throw error("unexpected end of line");
            }
            return line.charAt(pos++);
        }

        IllegalArgumentException error(String what) {
            return errorAt(pos, what);
        }

        private IllegalArgumentException errorAtToken(String what) {
            return errorAt(tokenStart, what);
        }

        private IllegalArgumentException errorAt(int column, String what) {
            return new IllegalArgumentException("graph text line " + number + ", column " + (column + 1) + ": " + what);
        }
    }
}
