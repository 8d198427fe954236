package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text form of a machine program: {@link #print} (the disassembler) and {@link #parse} (the
 * assembler). Printing a parsed canonical text gives back the same bytes, and parsing a printed
 * program gives an equal program. One declaration or instruction per line; {@code #} starts a
 * comment; blank lines and indentation are free on input. The canonical form (what {@link #print}
 * writes) has no comments, two-space indented instructions and a blank line before each stream:
 *
 * <pre>
 * program relu_tile
 * dram x fp32 [128, 512] @0 input
 * dram y fp32 [128, 512] @262144 output
 * sbuf t fp32 [128, 512] @p0 +0 live dma0:0..dma1:1
 * sem loaded
 * sem done
 *
 * stream dma0
 *   dma t[0:128, +0, 512@1] <- x[+0, 128@512, 512@1]
 *   signal loaded
 *
 * stream scalar
 *   wait loaded >= 1
 *   act.relu t[0:128, +0, 512@1] = t[0:128, +0, 512@1] scale 1.0 bias 0.0
 *   signal done
 *
 * stream dma1
 *   wait done >= 1
 *   dma y[+0, 128@512, 512@1] <- t[0:128, +0, 512@1]
 * </pre>
 * {@code @p0 +0} places an allocation at partition 0, byte 0 of each partition; its shape starts with
 * its partition count. Operands are described on {@link AccessPattern}, instructions on
 * {@link Instruction}.
 */
public final class ProgramText {
    /** What names of programs, buffers and semaphores look like. */
    public static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private static final java.util.regex.Pattern PARTITION = java.util.regex.Pattern.compile("p(0|[1-9][0-9]{0,5})");
    private static final java.util.regex.Pattern FLOAT = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private ProgramText() {}

    /** Whether {@code t} matches {@link #NAME}: an ASCII letter or underscore, then ASCII letters, digits, underscores. */
    static boolean isName(String t) {
        return isName(t, 0, t.length());
    }

    /** Whether {@code t[from, to)} matches {@link #NAME}. */
    private static boolean isName(String t, int from, int to) {
        if (from >= to || !(isAsciiLetter(t.charAt(from)) || t.charAt(from) == '_')) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = t.charAt(i);
            if (!(isAsciiLetter(c) || c == '_' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** The canonical text of a program. */
    public static String print(MachineProgram p) {
        StringBuilder sb = new StringBuilder();
        sb.append("program ").append(p.name()).append('\n');
        for (DramTensor t : p.dramTensors()) {
            sb.append("dram ").append(t.name()).append(' ').append(t.dtype().text()).append(' ').append(shape(t.shape()))
                    .append(" @").append(t.address()).append(' ').append(t.role().name().toLowerCase(Locale.ROOT)).append('\n');
        }
        for (Allocation a : p.allocations()) {
            sb.append(a.space().name().toLowerCase(Locale.ROOT)).append(' ').append(a.name()).append(' ')
                    .append(a.dtype().text()).append(' ').append(shape(a.shape())).append(" @p").append(a.partitionStart())
                    .append(" +").append(a.byteOffset()).append(" live ").append(a.firstUse().text()).append("..")
                    .append(a.lastUse().text()).append('\n');
        }
        for (String s : p.semaphores()) {
            sb.append("sem ").append(s).append('\n');
        }
        for (Stream s : p.streams()) {
            sb.append("\nstream ").append(s.engine().text()).append('\n');
            for (Instruction i : s.instructions()) {
                sb.append("  ").append(i.text()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String shape(List<Integer> shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(shape.get(i));
        }
        return sb.append(']').toString();
    }

    /** Parses program text; a malformed line fails with its line number and what was expected. */
    public static MachineProgram parse(String text) {
        String name = null;
        List<DramTensor> dram = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        List<String> semaphores = new ArrayList<>();
        Map<Engine, List<Instruction>> streams = new LinkedHashMap<>();
        List<Instruction> current = null;
        Engine currentEngine = null;
        int[] currentLines = null;
        // Per stream, the line of each instruction: messages of the program's checks name the instruction.
        Map<Engine, int[]> lineOf = new java.util.HashMap<>();
        Line line = new Line(text);
        int n = -1;
        for (int from = 0, to; from <= text.length(); from = to + 1) {
            to = text.indexOf('\n', from);
            if (to < 0) {
                to = text.length();
            }
            n++;
            line.read(from, to, n + 1);
            if (line.atEnd()) {
                continue;
            }
            try {
                String keyword = line.word();
                if (name == null && !keyword.equals("program")) {
                    throw line.error("a program starts with 'program <name>'");
                }
                switch (keyword) {
                    case "program":
                        if (name != null) {
                            throw line.error("a second 'program' line");
                        }
                        name = line.name();
                        break;
                    case "dram":
                        dram.add(new DramTensor(line.name(), line.dtype(), line.shape(), line.expect("@").longValue(),
                                line.role()));
                        break;
                    case "sbuf":
                    case "psum":
                        allocations.add(allocation(line, keyword));
                        break;
                    case "sem":
                        semaphores.add(line.name());
                        break;
                    case "stream":
                        Engine engine = Engine.parse(line.word());
                        if (streams.containsKey(engine)) {
                            throw line.error("a second stream for engine " + engine);
                        }
                        current = new ArrayList<>();
                        streams.put(engine, current);
                        currentEngine = engine;
                        currentLines = new int[16];
                        lineOf.put(engine, currentLines);
                        break;
                    default:
                        if (current == null) {
                            throw line.error("instruction '" + keyword + "' before any 'stream <engine>' line");
                        }
                        current.add(instruction(keyword, line));
                        if (current.size() > currentLines.length) {
                            currentLines = java.util.Arrays.copyOf(currentLines, 2 * currentLines.length);
                            lineOf.put(currentEngine, currentLines);
                        }
                        currentLines[current.size() - 1] = n + 1;
                }
                line.end();
            } catch (InvalidProgramException e) {
                throw e.getMessage().startsWith("line ") ? e : line.error(e.getMessage());
            }
        }
        if (name == null) {
            throw new InvalidProgramException("line 1: empty program; it starts with 'program <name>'");
        }
        List<Stream> code = new ArrayList<>();
        streams.forEach((engine, instructions) -> code.add(new Stream(engine, instructions)));
        try {
            return new MachineProgram(name, dram, allocations, semaphores, code);
        } catch (InvalidProgramException e) {
            // Checks of the whole program name the instruction; point at its line too.
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\w+):(\\d+) ").matcher(e.getMessage());
            if (m.find()) {
                Engine engine;
                try {
                    engine = Engine.parse(m.group(1));
                } catch (InvalidProgramException notAnEngine) {
                    throw e;
                }
                List<Instruction> instructions = streams.get(engine);
                int index = Integer.parseInt(m.group(2));
                if (instructions != null && index < instructions.size()) {
                    throw new InvalidProgramException("line " + lineOf.get(engine)[index] + ": " + e.getMessage());
                }
            }
            throw e;
        }
    }

    private static Allocation allocation(Line line, String keyword) {
        String name = line.name();
        StorageDtype dtype = line.dtype();
        List<Integer> shape = line.shape();
        line.expect("@");
        String p = line.word();
        if (!PARTITION.matcher(p).matches()) {
            throw line.error("expected a start partition like 'p0', found '" + p + "'");
        }
        line.expect("+");
        long offset = line.longValue();
        line.expectWord("live");
        InstructionRef first = line.ref();
        line.expect("..");
        InstructionRef last = line.ref();
        Allocation.Space space = keyword.equals("sbuf") ? Allocation.Space.SBUF : Allocation.Space.PSUM;
        return new Allocation(name, space, dtype, shape, Integer.parseInt(p.substring(1)), offset, first, last);
    }

    private static Instruction instruction(String opcode, Line line) {
        int dot = opcode.indexOf('.');
        String family = dot < 0 ? opcode : opcode.substring(0, dot);
        String op = dot < 0 ? "" : opcode.substring(dot + 1);
        if (dot >= 0 && !List.of("binary", "unary", "reduce", "act").contains(family)) {
            throw line.error("unknown instruction '" + opcode + "'");
        }
        switch (family) {
            case "dma": {
                AccessPattern dst = line.access();
                line.expect("<-");
                return new Instruction.Dma(dst, line.access());
            }
            case "matmul": {
                AccessPattern dst = line.access();
                boolean accumulate = line.is("+=");
                line.expect(accumulate ? "+=" : "=");
                AccessPattern stationary = line.access();
                line.expect("*");
                return new Instruction.Matmul(dst, stationary, line.access(), accumulate);
            }
            case "binary": {
                Ops.Binary kind = Ops.parse(Ops.Binary.class, op, "binary");
                AccessPattern dst = line.access();
                line.expect("=");
                AccessPattern a = line.access();
                line.expect(",");
                return new Instruction.Binary(kind, dst, a, line.access());
            }
            case "unary": {
                Ops.Unary kind = Ops.parse(Ops.Unary.class, op, "unary");
                AccessPattern dst = line.access();
                line.expect("=");
                return new Instruction.Unary(kind, dst, line.access());
            }
            case "reduce": {
                Ops.Reduce kind = Ops.parse(Ops.Reduce.class, op, "reduce");
                AccessPattern dst = line.access();
                line.expect("=");
                AccessPattern src = line.access();
                line.expectWord("axes");
                return new Instruction.Reduce(kind, dst, src, line.intValue());
            }
            case "act": {
                Ops.Activation kind = Ops.parse(Ops.Activation.class, op, "activation");
                AccessPattern dst = line.access();
                line.expect("=");
                AccessPattern src = line.access();
                line.expectWord("scale");
                float scale = line.floatValue();
                line.expectWord("bias");
                return new Instruction.Activation(kind, dst, src, scale, line.floatValue());
            }
            case "copy": {
                AccessPattern dst = line.access();
                line.expect("=");
                return new Instruction.Copy(dst, line.access());
            }
            case "memset": {
                AccessPattern dst = line.access();
                line.expect("=");
                return new Instruction.Memset(dst, line.floatValue());
            }
            case "wait": {
                String sem = line.name();
                line.expect(">=");
                return new Instruction.Wait(sem, line.intValue());
            }
            case "signal":
                return new Instruction.Signal(line.name());
            default:
                throw line.error("unknown instruction '" + opcode + "'");
        }
    }

    /**
     * The tokens of one line, as offsets into it, and a cursor over them. A token becomes a string
     * only when it is a name or a word (one string per distinct name in the whole text, shared by
     * every line through {@code names}, so that a buffer named on many lines is one string object),
     * a number that is not an integer, or part of a message.
     */
    private static final class Line {
        /** The whole program text; the line is {@code text[from, to)}. */
        private final String text;
        private final Map<String, String> names = new java.util.HashMap<>();
        private int number;
        /** Token k spans {@code text[bounds[2k], bounds[2k + 1])}. */
        private int[] bounds = new int[64];
        private int count;
        private int next;

        Line(String text) {
            this.text = text;
        }

        /** Makes this the line {@code text[from, to)}, number {@code number}, with its cursor at its first token. */
        void read(int from, int to, int number) {
            this.number = number;
            this.count = 0;
            this.next = 0;
            int i = from;
            int length = to;
            while (i < length) {
                char c = text.charAt(i);
                if (c == '#') {
                    break;
                }
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                int start = i;
                if (isLetter(c) || c == '_') {
                    while (i < length) {
                        char d = text.charAt(i);
                        if (!(isLetterOrDigit(d) || d == '_' || (d == '.' && i + 1 < length && isLetter(text.charAt(i + 1))))) {
                            break;
                        }
                        i++;
                    }
                } else if (isDigit(c) || (c == '-' && i + 1 < length && (isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == 'I'))) {
                    i = scanNumber(text, i, length);
                } else if (i + 1 < length && isPair(c, text.charAt(i + 1))) {
                    i += 2;
                } else {
                    i++;
                }
                if (2 * count == bounds.length) {
                    bounds = java.util.Arrays.copyOf(bounds, 2 * bounds.length);
                }
                bounds[2 * count] = start;
                bounds[2 * count + 1] = i;
                count++;
            }
        }

        // Character classes as Character has them, ASCII answered without a lookup.
        private static boolean isLetter(char c) {
            return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c);
        }

        private static boolean isDigit(char c) {
            return c < 128 ? c >= '0' && c <= '9' : Character.isDigit(c);
        }

        private static boolean isLetterOrDigit(char c) {
            return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') : Character.isLetterOrDigit(c);
        }

        /** The two-character operators: {@code <-}, {@code +=}, {@code >=}, {@code ..}. */
        private static boolean isPair(char a, char b) {
            return (a == '<' && b == '-') || (a == '+' && b == '=') || (a == '>' && b == '=') || (a == '.' && b == '.');
        }

        private static int scanNumber(String text, int i, int end) {
            if (text.charAt(i) == '-') {
                i++;
            }
            if (end - i >= 8 && text.startsWith("Infinity", i)) {
                return i + "Infinity".length();
            }
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            if (i + 1 < end && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
                i++;
                while (i < end && isDigit(text.charAt(i))) {
                    i++;
                }
            }
            if (i < end && (text.charAt(i) == 'E' || text.charAt(i) == 'e')) {
                int j = i + 1;
                if (j < end && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
                    j++;
                }
                if (j < end && isDigit(text.charAt(j))) {
                    i = j;
                    while (i < end && isDigit(text.charAt(i))) {
                        i++;
                    }
                }
            }
            return i;
        }

        InvalidProgramException error(String message) {
            return new InvalidProgramException("line " + number + ": " + message);
        }

        boolean atEnd() {
            return next >= count;
        }

        private int start() {
            return bounds[2 * next];
        }

        private int stop() {
            return bounds[2 * next + 1];
        }

        /** The next token, "" at the end of the line. */
        String peek() {
            return atEnd() ? "" : text.substring(start(), stop());
        }

        /** Whether the next token is {@code s}. */
        boolean is(String s) {
            return !atEnd() && stop() - start() == s.length() && text.startsWith(s, start());
        }

        private String found() {
            return atEnd() ? "the end of the line" : "'" + peek() + "'";
        }

        /** The next token as a string, the same object for every occurrence of the same text. */
        private String take() {
            String t = peek();
            next++;
            String known = names.putIfAbsent(t, t);
            return known != null ? known : t;
        }

        String word() {
            if (atEnd() || !(Character.isLetter(text.charAt(start())) || text.charAt(start()) == '_')) {
                throw error("expected a word, found " + found());
            }
            return take();
        }

        String name() {
            if (atEnd() || !isName(text, start(), stop())) {
                throw error("expected a name, found " + found());
            }
            return take();
        }

        void expectWord(String w) {
            if (!is(w)) {
                throw error("expected '" + w + "', found " + found());
            }
            next++;
        }

        Line expect(String punct) {
            if (!is(punct)) {
                throw error("expected '" + punct + "', found " + found());
            }
            next++;
            return this;
        }

        /** An integer {@code -?[0-9]{1,18}}, read from the line's characters. */
        long longValue() {
            int from = atEnd() ? 0 : start();
            int to = atEnd() ? 0 : stop();
            boolean negative = from < to && text.charAt(from) == '-';
            int digits = to - from - (negative ? 1 : 0);
            long v = 0;
            boolean ok = !atEnd() && digits >= 1 && digits <= 18;
            for (int i = from + (negative ? 1 : 0); ok && i < to; i++) {
                char c = text.charAt(i);
                ok = c >= '0' && c <= '9';
                v = 10 * v + (c - '0');
            }
            if (!ok) {
                throw error("expected an integer, found " + found());
            }
            next++;
            return negative ? -v : v;
        }

        int intValue() {
            long v = longValue();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw error("integer " + v + " is out of range");
            }
            return (int) v;
        }

        float floatValue() {
            String t = peek();
            if (!(FLOAT.matcher(t).matches() || t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity"))) {
                throw error("expected a number, found " + found());
            }
            next++;
            return Float.parseFloat(t);
        }

        StorageDtype dtype() {
            String w = word();
            try {
                return StorageDtype.parse(w);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        DramTensor.Role role() {
            String w = word();
            for (DramTensor.Role r : DramTensor.Role.values()) {
                if (r.name().toLowerCase(Locale.ROOT).equals(w)) {
                    return r;
                }
            }
            throw error("unknown role '" + w + "'; expected input, weight, output or scratch");
        }

        List<Integer> shape() {
            expect("[");
            List<Integer> dims = new ArrayList<>();
            dims.add(intValue());
            while (is(",")) {
                next++;
                dims.add(intValue());
            }
            expect("]");
            return dims;
        }

        InstructionRef ref() {
            String engine = word();
            expect(":");
            return new InstructionRef(Engine.parse(engine), intValue());
        }

        AccessPattern access() {
            String buffer = name();
            expect("[");
            boolean partitioned = !is("+");
            int start = 0;
            int end = 0;
            if (partitioned) {
                start = intValue();
                expect(":");
                end = intValue();
                expect(",");
            }
            expect("+");
            long offset = longValue();
            List<Dim> dims = new ArrayList<>(2);
            while (is(",")) {
                next++;
                int count = intValue();
                expect("@");
                dims.add(Dim.of(count, longValue()));
            }
            expect("]");
            return AccessPattern.of(buffer, partitioned, start, end - start, offset, dims);
        }

        void end() {
            if (!atEnd()) {
                throw error("unexpected " + found() + " at the end of the line");
            }
        }
    }
}
