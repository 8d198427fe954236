package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The assembler as it was before it stopped making a string of every token: kept as the reference the
 * faster {@link ProgramText#parse} must agree with, program for program and message for message
 * ({@code ParserEquivalenceProperties}).
 */
final class ReferenceProgramText {
    /** What names of programs, buffers and semaphores look like. */
    public static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

    private ReferenceProgramText() {}

    /** Parses program text; a malformed line fails with its line number and what was expected. */
    public static MachineProgram parse(String text) {
        String name = null;
        List<DramTensor> dram = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        List<String> semaphores = new ArrayList<>();
        Map<Engine, List<Instruction>> streams = new LinkedHashMap<>();
        List<Instruction> current = null;
        Engine currentEngine = null;
        Map<String, Integer> lineOf = new java.util.HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            Line line = new Line(lines[n], n + 1);
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
                        break;
                    default:
                        if (current == null) {
                            throw line.error("instruction '" + keyword + "' before any 'stream <engine>' line");
                        }
                        current.add(instruction(keyword, line));
                        lineOf.put(currentEngine.text() + ":" + (current.size() - 1), n + 1);
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
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\w+:\\d+) ").matcher(e.getMessage());
            if (m.find() && lineOf.containsKey(m.group(1))) {
                throw new InvalidProgramException("line " + lineOf.get(m.group(1)) + ": " + e.getMessage());
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
        if (!p.matches("p(0|[1-9][0-9]{0,5})")) {
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
                boolean accumulate = line.peek().equals("+=");
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

    /** The tokens of one line and a cursor over them. */
    private static final class Line {
        private final int number;
        private final List<String> tokens = new ArrayList<>();
        private int next;

        Line(String text, int number) {
            this.number = number;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '#') {
                    break;
                }
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                int start = i;
                if (Character.isLetter(c) || c == '_') {
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                            || (text.charAt(i) == '.' && i + 1 < text.length() && Character.isLetter(text.charAt(i + 1))))) {
                        i++;
                    }
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < text.length()
                        && (Character.isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == 'I'))) {
                    i = scanNumber(text, i);
                } else if (i + 1 < text.length() && List.of("<-", "+=", ">=", "..").contains(text.substring(i, i + 2))) {
                    i += 2;
                } else {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }

        private static int scanNumber(String text, int i) {
            if (text.charAt(i) == '-') {
                i++;
            }
            if (text.startsWith("Infinity", i)) {
                return i + "Infinity".length();
            }
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (i + 1 < text.length() && text.charAt(i) == '.' && Character.isDigit(text.charAt(i + 1))) {
                i++;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
            }
            if (i < text.length() && (text.charAt(i) == 'E' || text.charAt(i) == 'e')) {
                int j = i + 1;
                if (j < text.length() && (text.charAt(j) == '-' || text.charAt(j) == '+')) {
                    j++;
                }
                if (j < text.length() && Character.isDigit(text.charAt(j))) {
                    i = j;
                    while (i < text.length() && Character.isDigit(text.charAt(i))) {
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
            return next >= tokens.size();
        }

        String peek() {
            return atEnd() ? "" : tokens.get(next);
        }

        private String found() {
            return atEnd() ? "the end of the line" : "'" + tokens.get(next) + "'";
        }

        String word() {
            if (atEnd() || !(Character.isLetter(peek().charAt(0)) || peek().charAt(0) == '_')) {
                throw error("expected a word, found " + found());
            }
            return tokens.get(next++);
        }

        String name() {
            if (atEnd() || !peek().matches(NAME)) {
                throw error("expected a name, found " + found());
            }
            return tokens.get(next++);
        }

        void expectWord(String w) {
            if (!peek().equals(w)) {
                throw error("expected '" + w + "', found " + found());
            }
            next++;
        }

        Line expect(String punct) {
            if (!peek().equals(punct)) {
                throw error("expected '" + punct + "', found " + found());
            }
            next++;
            return this;
        }

        long longValue() {
            if (atEnd() || !peek().matches("-?[0-9]{1,18}")) {
                throw error("expected an integer, found " + found());
            }
            return Long.parseLong(tokens.get(next++));
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
            if (!(t.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?") || t.equals("NaN") || t.equals("Infinity")
                    || t.equals("-Infinity"))) {
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
            while (peek().equals(",")) {
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
            boolean partitioned = !peek().equals("+");
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
            List<Dim> dims = new ArrayList<>();
            while (peek().equals(",")) {
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
