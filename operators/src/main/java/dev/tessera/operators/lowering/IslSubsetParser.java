package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the isl subset the loop IR prints back into its structured values: a domain
 * {@code { S[i, j] : 0 <= i < 4 and 0 <= j < i + 1 and i + j < 6 }}, an access
 * {@code { S[i, j] -> b[i, 2j] }} (fresh output names bounded after the colon are data-dependent
 * indices), a schedule {@code { S[i, j] -> [0, i, j] }}. Expressions: integers, iterators,
 * {@code +}, {@code -}, {@code c*e}, {@code ce}, {@code floor((e)/d)} and parentheses. The domain's
 * iterator bounds must come first, one chain {@code lo <= i < hi} per iterator in order.
 */
final class IslSubsetParser {
    private final String text;
    private int pos;

    private IslSubsetParser(String text) {
        this.text = text;
    }

    /** A parsed tuple: its name and variable names. */
    record Tuple(String name, List<String> vars) {}

    record ParsedDomain(String statement, Domain domain) {}

    static ParsedDomain domain(String text) {
        IslSubsetParser p = new IslSubsetParser(text);
        p.expect("{");
        Tuple t = p.tuple();
        List<Iterator> iters = new ArrayList<>();
        List<Constraint> constraints = new ArrayList<>();
        if (p.accept(":")) {
            do {
                p.conjunct(t.vars(), iters, constraints, t.vars());
            } while (p.acceptWord("and"));
        }
        p.expect("}");
        p.end();
        if (iters.size() != t.vars().size()) {
            throw p.error("iterator '" + t.vars().get(iters.size()) + "' has no bounds 'lo <= "
                    + t.vars().get(iters.size()) + " < hi'");
        }
        return new ParsedDomain(t.name(), new Domain(iters, constraints));
    }

    static List<Expr> schedule(String text, String statement, List<String> vars) {
        IslSubsetParser p = new IslSubsetParser(text);
        p.expect("{");
        p.sameTuple(statement, vars);
        p.expect("->");
        p.expect("[");
        List<Expr> out = new ArrayList<>();
        if (!p.peek("]")) {
            do {
                out.add(p.sum(vars));
            } while (p.accept(","));
        }
        p.expect("]");
        p.expect("}");
        p.end();
        return out;
    }

    static Access access(String text, String statement, List<String> vars, boolean may) {
        IslSubsetParser p = new IslSubsetParser(text);
        p.expect("{");
        p.sameTuple(statement, vars);
        p.expect("->");
        String buffer = p.identifier();
        p.expect("[");
        List<Expr> idx = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        List<String> allowed = new ArrayList<>(vars);
        if (!p.peek("]")) {
            do {
                int save = p.pos;
                p.skipSpace();
                if (p.isIdentStart() && !p.lookingAtWord("floor")) {
                    String id = p.identifier();
                    p.skipSpace();
                    if (!vars.contains(id) && (p.peek(",") || p.peek("]"))) {
                        fresh.add(id);
                        allowed.add(id);
                        idx.add(Expr.var(id));
                        continue;
                    }
                }
                p.pos = save;
                idx.add(p.sum(allowed));
            } while (p.accept(","));
        }
        p.expect("]");
        List<Iterator> dataDependent = new ArrayList<>();
        if (p.accept(":")) {
            List<Constraint> none = new ArrayList<>();
            do {
                p.conjunct(allowed, dataDependent, none, fresh);
            } while (p.acceptWord("and"));
            if (!none.isEmpty()) {
                throw p.error("an access may only bound its data-dependent indices");
            }
        }
        p.expect("}");
        p.end();
        if (dataDependent.size() != fresh.size()) {
            throw p.error("data-dependent index '" + fresh.get(dataDependent.size()) + "' needs bounds");
        }
        if (may != !fresh.isEmpty()) {
            throw p.error(may ? "a may-read needs a data-dependent index" : "data-dependent indices need 'may-read'");
        }
        return new Access(buffer, idx, dataDependent, may);
    }

    /** One conjunct: a bound chain of the next iterator of {@code order}, or a two-sided constraint. */
    private void conjunct(List<String> vars, List<Iterator> iters, List<Constraint> constraints, List<String> order) {
        int at = pos;
        Expr a = sum(vars);
        Constraint.Relation r1 = relation();
        Expr b = sum(vars);
        skipSpace();
        if (peek("<")) {
            Constraint.Relation r2 = relation();
            Expr c = sum(vars);
            String next = iters.size() < order.size() ? order.get(iters.size()) : null;
            if (r1 == Constraint.Relation.LE && r2 == Constraint.Relation.LT && next != null
                    && b.equals(Expr.var(next))) {
                iters.add(new Iterator(next, a, c));
                return;
            }
            pos = at;
            throw error("a chain 'lo <= i < hi' must bound the next iterator in order"
                    + (next == null ? "" : " ('" + next + "')"));
        }
        constraints.add(new Constraint(a, r1, b));
    }

    private Constraint.Relation relation() {
        skipSpace();
        if (accept("<=")) {
            return Constraint.Relation.LE;
        }
        if (accept("<")) {
            return Constraint.Relation.LT;
        }
        if (accept("=")) {
            return Constraint.Relation.EQ;
        }
        throw error("expected <=, < or =");
    }

    private Tuple tuple() {
        String name = identifier();
        expect("[");
        List<String> vars = new ArrayList<>();
        if (!peek("]")) {
            do {
                String v = identifier();
                if (vars.contains(v)) {
                    throw error("variable '" + v + "' appears twice");
                }
                vars.add(v);
            } while (accept(","));
        }
        expect("]");
        return new Tuple(name, vars);
    }

    private void sameTuple(String statement, List<String> vars) {
        int at = pos;
        Tuple t = tuple();
        if (!t.name().equals(statement) || !t.vars().equals(vars)) {
            pos = at;
            throw error("expected the tuple " + statement + vars + " of the statement's domain");
        }
    }

    private Expr sum(List<String> vars) {
        skipSpace();
        Expr e;
        if (accept("-")) {
            e = term(vars).times(-1);
        } else {
            e = term(vars);
        }
        while (true) {
            skipSpace();
            if (peek("->")) {
                return e;
            }
            if (accept("+")) {
                e = e.plus(term(vars));
            } else if (accept("-")) {
                e = e.minus(term(vars));
            } else {
                return e;
            }
        }
    }

    private Expr term(List<String> vars) {
        skipSpace();
        if (Character.isDigit(ch())) {
            long c = number();
            if (isIdentStart() || ch() == '(') {
                return atom(vars).times(c);
            }
            if (accept("*")) {
                return atom(vars).times(c);
            }
            return Expr.constant(c);
        }
        return atom(vars);
    }

    private Expr atom(List<String> vars) {
        skipSpace();
        if (accept("(")) {
            Expr e = sum(vars);
            expect(")");
            return e;
        }
        if (lookingAtWord("floor")) {
            identifier();
            expect("(");
            Expr num = sum(vars);
            expect("/");
            skipSpace();
            long d = number();
            expect(")");
            return Expr.floorDiv(num, d);
        }
        int at = pos;
        String id = identifier();
        if (!vars.contains(id)) {
            pos = at;
            throw error("unknown variable '" + id + "'");
        }
        return Expr.var(id);
    }

    private long number() {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number out of range");
        }
    }

    private String identifier() {
        skipSpace();
        if (!isIdentStart()) {
            throw error("expected a name");
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean isIdentStart() {
        return pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_');
    }

    private boolean lookingAtWord(String w) {
        skipSpace();
        int end = pos + w.length();
        return text.startsWith(w, pos) && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)));
    }

    private boolean acceptWord(String w) {
        if (lookingAtWord(w)) {
            pos += w.length();
            return true;
        }
        return false;
    }

    private char ch() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
    }

    private boolean peek(String s) {
        skipSpace();
        return text.startsWith(s, pos);
    }

    private boolean accept(String s) {
        if (peek(s)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void expect(String s) {
        if (!accept(s)) {
            throw error("expected '" + s + "'");
        }
    }

    private void end() {
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected text after '}'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (pos + 1) + " of: " + text);
    }
}
