package dev.tessera.polyhedral.calc;

import dev.tessera.polyhedral.Budget;
import dev.tessera.polyhedral.BudgetExceededException;
import dev.tessera.polyhedral.Counting;
import dev.tessera.polyhedral.Dataflow;
import dev.tessera.polyhedral.LexOpt;
import dev.tessera.polyhedral.Optimizer;
import dev.tessera.polyhedral.Relation;
import dev.tessera.polyhedral.UnionOps;
import dev.tessera.polyhedral.UnionRelation;
import dev.tessera.polyhedral.text.IslParser;
import dev.tessera.polyhedral.text.IslPrinter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The line calculator of the isl-oracle protocol: one line {@code OP<TAB>ARG…} in, one answer
 * line out ({@code true}/{@code false}, an integer, a set or relation in isl syntax, or
 * {@code error: …}); empty lines and {@code #} comments are echoed. Example:
 * {@code answer("is_subset\t{ [i] : 0 <= i < 4 }\t{ [i] : i >= 0 }")} is {@code "true"}.
 */
public final class PolyCalculator {
    private PolyCalculator() {}

    /**
     * Reads problems from stdin and prints one answer per line; continues after errors.
     * Option {@code -t}: append a TAB and the time of the line in microseconds to every answer.
     */
    public static void main(String[] args) throws IOException {
        boolean timed = args.length > 0 && args[0].equals("-t");
        run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), timed);
    }

    /** Answers every line of {@code in} on {@code out}, flushing after each answer. */
    public static void run(BufferedReader in, PrintWriter out) throws IOException {
        run(in, out, false);
    }

    private static void run(BufferedReader in, PrintWriter out, boolean timed) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            long t0 = System.nanoTime();
            String a = answer(line);
            if (timed && !line.isEmpty() && !line.startsWith("#")) {
                a = a + "\t" + (System.nanoTime() - t0) / 1000;
            }
            out.println(a);
            out.flush();
        }
    }

    /** The answer line for one input line, within the default operation budget. */
    public static String answer(String line) {
        return answer(line, Budget.DEFAULT_LIMIT);
    }

    /** The answer line for one input line, within a budget of {@code budget} operations. */
    public static String answer(String line, long budget) {
        if (line.isEmpty() || line.startsWith("#")) {
            return line;
        }
        String[] f = line.split("\t", -1);
        String op = f[0].trim();
        List<String> args = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
            args.add(f[i]);
        }
        try {
            return Budget.run(budget, () -> dispatch(op, args));
        } catch (BudgetExceededException e) {
            return "error: " + e.getMessage() + " (" + op + ")";
        } catch (Optimizer.UnboundedException e) {
            return "error: unbounded optimum (" + op + ")";
        } catch (ArithmeticException e) {
            return "error: arithmetic: " + e.getMessage() + " (" + op + ")";
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return "error: " + e.getMessage() + " (" + op + ")";
        } catch (StackOverflowError e) {
            return "error: problem too deep (" + op + ")";
        } catch (RuntimeException e) {
            // A broken invariant of the library: say so on this line and go on with the next one,
            // so that one bad line never ends a stream of answers.
            return "error: internal: " + e.getClass().getSimpleName() + ": " + e.getMessage() + " (" + op + ")";
        }
    }

    private static String dispatch(String op, List<String> a) {
        switch (op) {
            case "is_empty": {
                need(op, a, 1);
                return bool(isEmpty(parse(a, 0)));
            }
            case "is_subset":
            case "is_equal":
            case "is_strict_subset":
            case "is_disjoint": {
                need(op, a, 2);
                UnionRelation x = parse(a, 0);
                UnionRelation y = parse(a, 1);
                sameKind(op, x, y);
                return bool(switch (op) {
                    case "is_subset" -> isSubset(x, y);
                    case "is_equal" -> isSubset(x, y) && isSubset(y, x);
                    case "is_strict_subset" -> isSubset(x, y) && !isSubset(y, x);
                    default -> isEmpty(UnionOps.intersect(x, y));
                });
            }
            case "intersect":
            case "union":
            case "subtract":
            case "gist": {
                need(op, a, 2);
                UnionRelation x = parse(a, 0);
                UnionRelation y = parse(a, 1);
                sameKind(op, x, y);
                return print(switch (op) {
                    case "intersect" -> UnionOps.intersect(x, y);
                    case "union" -> UnionOps.union(x, y);
                    case "subtract" -> UnionOps.subtract(x, y);
                    default -> UnionOps.gist(x, y);
                });
            }
            case "coalesce": {
                need(op, a, 1);
                return print(UnionOps.map(parse(a, 0), Relation::coalesce));
            }
            case "params": {
                need(op, a, 1);
                return IslPrinter.print(UnionOps.params(parse(a, 0)));
            }
            case "complement": {
                need(op, a, 1);
                return IslPrinter.print(single(op, parse(a, 0), 1).complement());
            }
            case "apply": {
                need(op, a, 2);
                return print(UnionOps.apply(sets(op, parse(a, 0), 1), relations(op, parse(a, 1), 2)));
            }
            case "apply_range":
            case "apply_domain":
            case "lex_lt": {
                need(op, a, 2);
                UnionRelation x = relations(op, parse(a, 0), 1);
                UnionRelation y = relations(op, parse(a, 1), 2);
                return print(switch (op) {
                    case "apply_range" -> UnionOps.applyRange(x, y);
                    case "apply_domain" -> UnionOps.applyDomain(x, y);
                    default -> UnionOps.lexLt(x, y);
                });
            }
            case "reverse":
            case "domain":
            case "range":
            case "deltas":
            case "wrap": {
                need(op, a, 1);
                UnionRelation x = relations(op, parse(a, 0), 1);
                return print(UnionOps.map(x, switch (op) {
                    case "reverse" -> Relation::reverse;
                    case "domain" -> Relation::domain;
                    case "range" -> Relation::range;
                    case "deltas" -> Relation::deltas;
                    default -> Relation::wrap;
                }));
            }
            case "identity": {
                need(op, a, 1);
                return print(UnionOps.map(sets(op, parse(a, 0), 1), Relation::identity));
            }
            case "intersect_domain":
            case "intersect_range": {
                need(op, a, 2);
                UnionRelation m = relations(op, parse(a, 0), 1);
                UnionRelation s = sets(op, parse(a, 1), 2);
                return print(UnionOps.intersectSide(m, s, op.equals("intersect_domain")));
            }
            case "intersect_params": {
                need(op, a, 2);
                UnionRelation x = parse(a, 0);
                UnionRelation p = parse(a, 1);
                if (!p.isSingleSpace() || !p.parts().get(0).space().isParamDomain()) {
                    throw new IllegalArgumentException("argument 2 must be a parameter domain");
                }
                Relation pd = p.parts().get(0);
                return print(UnionOps.map(x, r -> r.intersectParams(pd)));
            }
            case "is_single_valued":
            case "is_injective":
            case "is_bijective": {
                need(op, a, 1);
                UnionRelation m = relations(op, parse(a, 0), 1);
                return bool(switch (op) {
                    case "is_single_valued" -> UnionOps.isSingleValued(m);
                    case "is_injective" -> UnionOps.isSingleValued(UnionOps.map(m, Relation::reverse));
                    default -> UnionOps.isSingleValued(m) && UnionOps.isSingleValued(UnionOps.map(m, Relation::reverse));
                });
            }
            case "is_bounded": {
                need(op, a, 1);
                UnionRelation s = sets(op, parse(a, 0), 1);
                boolean bounded = true;
                for (Relation r : s.parts()) {
                    bounded &= r.isBounded();
                }
                return bool(bounded);
            }
            case "project_out": {
                need(op, a, 2);
                Relation r = single(op, parse(a, 0), 1);
                String[] spec = a.get(1).trim().split("\\s+");
                if (spec.length != 3) {
                    throw new IllegalArgumentException("project_out spec must be 'set|in|out|param FIRST N'");
                }
                int first;
                int n;
                try {
                    first = Integer.parseInt(spec[1]);
                    n = Integer.parseInt(spec[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("project_out spec must be 'set|in|out|param FIRST N'");
                }
                return IslPrinter.print(r.projectOut(spec[0], first, n));
            }
            case "lexmin":
            case "lexmax": {
                need(op, a, 1);
                return print(UnionOps.map(parse(a, 0), r -> LexOpt.lexOpt(r, op.equals("lexmax"))));
            }
            case "sample": {
                need(op, a, 1);
                return LexOpt.sample(parse(a, 0));
            }
            case "card": {
                need(op, a, 1);
                return Counting.card(parse(a, 0));
            }
            case "min":
            case "max": {
                need(op, a, 2);
                Relation s = single(op, parse(a, 0), 1);
                if (s.space().isRelation()) {
                    throw new IllegalArgumentException(op + ": argument 1 must be a set");
                }
                return LexOpt.optimum(s, IslParser.parse(a.get(1)), op.equals("max"));
            }
            case "box": {
                need(op, a, 1);
                return LexOpt.simpleFixedBoxHull(single(op, sets(op, parse(a, 0), 1), 1));
            }
            case "deps":
            case "deps_may":
            case "deps_full":
            case "deps_full_may":
            case "deps_nosrc":
            case "deps_may_nosrc": {
                if (a.size() < 3 || a.size() > 5) {
                    throw new IllegalArgumentException("deps needs SCHEDULE MUST_WRITES READS [MAY_WRITES [KILLS]]");
                }
                List<UnionRelation> in = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    UnionRelation u = parse(a, i);
                    if (!u.parts().isEmpty() && u.isSetKind() || u.parts().isEmpty() && isEmptyUnionText(a.get(i))) {
                        throw new IllegalArgumentException("deps argument " + (i + 1) + " must be a relation");
                    }
                    in.add(u);
                }
                return print(Dataflow.compute(op, in));
            }
            default:
                throw new UnsupportedOperationException("unsupported op " + op);
        }
    }

    private static boolean isEmptyUnionText(String s) {
        return s.replaceAll("\\s", "").endsWith("{}");
    }

    private static void need(String op, List<String> a, int n) {
        if (a.size() != n) {
            throw new IllegalArgumentException(op + " takes " + n + " argument(s), got " + a.size());
        }
    }

    private static UnionRelation parse(List<String> a, int i) {
        return IslParser.parse(a.get(i));
    }

    private static void sameKind(String op, UnionRelation x, UnionRelation y) {
        if (!x.parts().isEmpty() && !y.parts().isEmpty() && x.isSetKind() != y.isSetKind()) {
            throw new IllegalArgumentException(op + ": both arguments must be sets or both relations");
        }
    }

    private static UnionRelation sets(String op, UnionRelation u, int argNo) {
        if (!u.isSetKind()) {
            throw new IllegalArgumentException(op + ": argument " + argNo + " must be a set");
        }
        return u;
    }

    private static UnionRelation relations(String op, UnionRelation u, int argNo) {
        for (Relation r : u.parts()) {
            if (!r.space().isRelation()) {
                throw new IllegalArgumentException(op + ": argument " + argNo + " must be a relation");
            }
        }
        return u;
    }

    private static Relation single(String op, UnionRelation u, int argNo) {
        if (!u.isSingleSpace()) {
            throw new IllegalArgumentException(op + ": argument " + argNo + " must live in a single space");
        }
        return u.parts().get(0);
    }

    private static boolean isEmpty(UnionRelation u) {
        for (Relation r : u.parts()) {
            if (!r.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSubset(UnionRelation x, UnionRelation y) {
        UnionRelation[] xy = UnionRelation.align(x, y);
        for (Relation r : xy[0].parts()) {
            Relation o = xy[1].part(r.space());
            if (o == null ? !r.isEmpty() : !r.isSubset(o)) {
                return false;
            }
        }
        return true;
    }

    private static String bool(boolean b) {
        return b ? "true" : "false";
    }

    private static String print(UnionRelation u) {
        return IslPrinter.print(u);
    }
}
