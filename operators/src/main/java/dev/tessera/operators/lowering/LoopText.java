package dev.tessera.operators.lowering;

import dev.tessera.operators.graph.TensorRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text form of a {@link LoopProgram}, printed and parsed; {@code print(parse(t))} equals
 * {@code t} byte for byte for every printed {@code t}. Domains, schedules and accesses are isl
 * text, so any line can be handed to the {@code poly} calculator as it is.
 *
 * <pre>
 * program "conv-relu" spec="inferentia2" dtype=fp32
 * buffer input dram fp32 [1, 3, 32, 32] input "input"
 * buffer conv_x sbuf fp32 [3, 34, 34]
 *
 * stmt conv_load_x kind=dma engine=dma op=copy tiles=2 node="conv"
 *   domain   { conv_load_x[n, t, c, h, w] : … }
 *   schedule { conv_load_x[n, t, c, h, w] -> [0, n, t, 1, c, h, w] }
 *   write    conv_x { conv_load_x[n, t, c, h, w] -> conv_x[c, h, w] }
 *   read     input { conv_load_x[n, t, c, h, w] -> input[n, c, h - 1, w - 1] }
 * </pre>
 * A write or read line names the buffer, then the relation; {@code may-read} marks a
 * data-dependent read whose fresh output names are bounded after the colon.
 */
public final class LoopText {
    private LoopText() {}

    public static String print(LoopProgram p) {
        StringBuilder sb = new StringBuilder();
        sb.append("program ").append(quote(p.model())).append(" spec=").append(quote(p.spec())).append(" dtype=")
                .append(p.dtype().text()).append('\n');
        for (Buffer b : p.buffers()) {
            sb.append("buffer ").append(b.name()).append(' ').append(b.space().text()).append(' ')
                    .append(b.type().text()).append(' ').append(b.shape());
            if (b.role() != null) {
                sb.append(' ').append(b.role().name().toLowerCase(Locale.ROOT)).append(' ').append(quote(b.tensor()));
            }
            sb.append('\n');
        }
        for (Statement s : p.statements()) {
            sb.append('\n');
            sb.append("stmt ").append(s.name()).append(" kind=").append(s.kind().text()).append(" engine=")
                    .append(s.engine().text()).append(" op=").append(s.op().toString().replace(" ", ""))
                    .append(" tiles=").append(s.tiles()).append(" node=").append(quote(s.node())).append('\n');
            sb.append("  domain   ").append(s.domain().isl(s.name())).append('\n');
            sb.append("  schedule ").append(s.scheduleText()).append('\n');
            sb.append("  write    ").append(s.write().buffer()).append(' ').append(s.write().text(s.name(), s.domain()))
                    .append('\n');
            for (Access a : s.reads()) {
                sb.append(a.may() ? "  may-read " : "  read     ").append(a.buffer()).append(' ')
                        .append(a.text(s.name(), s.domain())).append('\n');
            }
        }
        return sb.toString();
    }

    /** Parses a printed program; errors name the line. */
    public static LoopProgram parse(String text) {
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        if (n == 0 || !lines[0].startsWith("program ")) {
            throw new IllegalArgumentException("line 1: expected 'program \"name\" spec=\"…\" dtype=…'");
        }
        Words head = new Words(lines[0], 1);
        head.word("program");
        String model = head.quoted();
        String spec = head.keyQuoted("spec");
        ElementType dtype = ElementType.parse(head.key("dtype"));
        head.end();
        List<Buffer> buffers = new ArrayList<>();
        List<Statement> statements = new ArrayList<>();
        int i = 1;
        while (i < n && lines[i].startsWith("buffer ")) {
            buffers.add(buffer(lines[i], i + 1));
            i++;
        }
        while (i < n) {
            if (!lines[i].isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected an empty line before 'stmt'");
            }
            i++;
            int start = i;
            List<String> body = new ArrayList<>();
            body.add(i < n ? lines[i] : "");
            i++;
            while (i < n && lines[i].startsWith("  ")) {
                body.add(lines[i]);
                i++;
            }
            statements.add(statement(body, start + 1));
        }
        return new LoopProgram(model, spec, dtype, buffers, statements);
    }

    private static Buffer buffer(String line, int number) {
        Words w = new Words(line, number);
        w.word("buffer");
        String name = w.next();
        MemorySpace space = w.wrap(() -> MemorySpace.parse(w.next()));
        ElementType type = w.wrap(() -> ElementType.parse(w.next()));
        List<Long> shape = w.shape();
        String tensor = "";
        TensorRole role = null;
        if (!w.atEnd()) {
            String r = w.next();
            role = w.wrap(() -> TensorRole.valueOf(r.toUpperCase(Locale.ROOT)));
            tensor = w.quoted();
        }
        w.end();
        String t = tensor;
        TensorRole tr = role;
        return w.wrap(() -> new Buffer(name, space, type, shape, t, tr));
    }

    private static Statement statement(List<String> body, int first) {
        Words h = new Words(body.get(0), first);
        h.word("stmt");
        String name = h.next();
        StatementKind kind = h.wrap(() -> StatementKind.parse(h.key("kind")));
        Engine engine = h.wrap(() -> Engine.parse(h.key("engine")));
        Operation op = h.wrap(() -> operation(h.key("op")));
        int tiles = h.wrap(() -> Integer.parseInt(h.key("tiles")));
        String node = h.keyQuoted("node");
        h.end();
        if (body.size() < 4) {
            throw new IllegalArgumentException("line " + first + ": statement '" + name
                    + "' needs domain, schedule and write lines");
        }
        String domainText = field(body.get(1), "  domain   ", first + 1);
        IslSubsetParser.ParsedDomain d = at(first + 1, () -> IslSubsetParser.domain(domainText));
        if (!d.statement().equals(name)) {
            throw new IllegalArgumentException("line " + (first + 1) + ": domain tuple '" + d.statement()
                    + "' differs from the statement name '" + name + "'");
        }
        List<String> vars = d.domain().names();
        String schedText = field(body.get(2), "  schedule ", first + 2);
        List<Expr> schedule = at(first + 2, () -> IslSubsetParser.schedule(schedText, name, vars));
        Access write = accessLine(body.get(3), "  write    ", name, vars, false, first + 3);
        List<Access> reads = new ArrayList<>();
        for (int k = 4; k < body.size(); k++) {
            boolean may = body.get(k).startsWith("  may-read ");
            reads.add(accessLine(body.get(k), may ? "  may-read " : "  read     ", name, vars, may, first + k));
        }
        int line = first;
        return at(line, () -> new Statement(name, kind, engine, op, tiles, node, d.domain(), schedule, write, reads));
    }

    private static Access accessLine(String line, String prefix, String stmt, List<String> vars, boolean may, int number) {
        String rest = field(line, prefix, number);
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("line " + number + ": expected 'BUFFER { relation }'");
        }
        String buffer = rest.substring(0, space);
        Access a = at(number, () -> IslSubsetParser.access(rest.substring(space + 1), stmt, vars, may));
        if (!a.buffer().equals(buffer)) {
            throw new IllegalArgumentException("line " + number + ": buffer '" + buffer + "' differs from the relation's '"
                    + a.buffer() + "'");
        }
        return a;
    }

    private static String field(String line, String prefix, int number) {
        if (!line.startsWith(prefix)) {
            throw new IllegalArgumentException("line " + number + ": expected '" + prefix.trim() + "'");
        }
        return line.substring(prefix.length());
    }

    private static <T> T at(int line, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        }
    }

    static Operation operation(String text) {
        int open = text.indexOf('(');
        if (open < 0) {
            return new Operation(OpCode.parse(text), List.of());
        }
        if (!text.endsWith(")")) {
            throw new IllegalArgumentException("op '" + text + "' lacks ')'");
        }
        List<Double> params = new ArrayList<>();
        for (String p : text.substring(open + 1, text.length() - 1).split(",")) {
            params.add(Double.parseDouble(p));
        }
        return new Operation(OpCode.parse(text.substring(0, open)), params);
    }

    /** Whether {@code s} is an isl identifier: a letter or '_' then letters, digits, '_'. */
    public static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return !s.equals("and") && !s.equals("floor") && !s.equals("or") && !s.equals("mod");
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /** A cursor over the space-separated words of one header line. */
    private static final class Words {
        private final String line;
        private final int number;
        private int pos;

        Words(String line, int number) {
            this.line = line;
            this.number = number;
        }

        <T> T wrap(java.util.function.Supplier<T> f) {
            try {
                return f.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
            }
        }

        boolean atEnd() {
            return pos >= line.length();
        }

        String next() {
            if (atEnd()) {
                throw fail("unexpected end of line");
            }
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                end = line.length();
            }
            String w = line.substring(pos, end);
            pos = Math.min(end + 1, line.length());
            return w;
        }

        void word(String expected) {
            String w = next();
            if (!w.equals(expected)) {
                throw fail("expected '" + expected + "', got '" + w + "'");
            }
        }

        String key(String key) {
            String w = next();
            if (!w.startsWith(key + "=")) {
                throw fail("expected '" + key + "=…', got '" + w + "'");
            }
            return w.substring(key.length() + 1);
        }

        String keyQuoted(String key) {
            if (!line.startsWith(key + "=", pos)) {
                throw fail("expected '" + key + "=\"…\"'");
            }
            pos += key.length() + 1;
            return quoted();
        }

        String quoted() {
            if (pos >= line.length() || line.charAt(pos) != '"') {
                throw fail("expected a quoted string at column " + (pos + 1));
            }
            StringBuilder sb = new StringBuilder();
            int i = pos + 1;
            while (i < line.length() && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    char e = line.charAt(++i);
                    sb.append(e == 'n' ? '\n' : e);
                } else {
                    sb.append(c);
                }
                i++;
            }
            if (i >= line.length()) {
                throw fail("unterminated string");
            }
            pos = i + 1;
            if (pos < line.length()) {
                if (line.charAt(pos) != ' ') {
                    throw fail("expected a space after the string");
                }
                pos++;
            }
            return sb.toString();
        }

        List<Long> shape() {
            int end = line.indexOf(']', pos);
            if (pos >= line.length() || line.charAt(pos) != '[' || end < 0) {
                throw fail("expected a shape [d0, d1, …]");
            }
            String inner = line.substring(pos + 1, end);
            List<Long> out = new ArrayList<>();
            if (!inner.isEmpty()) {
                for (String d : inner.split(", ")) {
                    out.add(wrap(() -> Long.parseLong(d)));
                }
            }
            pos = Math.min(end + 2, line.length());
            return out;
        }

        void end() {
            if (!atEnd()) {
                throw fail("unexpected '" + line.substring(pos) + "'");
            }
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("line " + number + ": " + what);
        }
    }
}
