package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.graph.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast verifier's shortcuts never change a verdict: on random programs its answer (pass, or the
 * message of the first failure) equals {@link LoopVerifier#verifyExactly}'s, which puts every
 * question to the Presburger library; and {@link DomainBounds} contains every value an expression
 * takes on an enumerated domain. Seeded, so a failure reproduces.
 */
class VerifierAgreementTest {
    private static final AcceleratorSpec SPEC = AcceleratorSpec.builtIn("inferentia2");

    @Test
    void boundsContainEveryValueOnRandomDomains() {
        Random rnd = new Random(7);
        int nonEmpty = 0;
        int nonEmptyWithEquality = 0;
        for (int trial = 0; trial < 400; trial++) {
            Domain d = randomDomain(rnd);
            Expr e = randomExpr(rnd, d.names());
            DomainBounds b = DomainBounds.of(d);
            long[] seen = {Long.MAX_VALUE, Long.MIN_VALUE};
            d.forEachPoint(pt -> {
                long v = e.eval(d.names(), pt);
                seen[0] = Math.min(seen[0], v);
                seen[1] = Math.max(seen[1], v);
            });
            boolean empty = seen[0] > seen[1];
            if (b.provesEmpty()) {
                assertTrue(empty, "bounds call a non-empty domain empty: " + d.isl("S"));
                continue;
            }
            if (empty) {
                continue;
            }
            nonEmpty++;
            if (hasEquality(d)) {
                nonEmptyWithEquality++;
            }
            long[] r = b.bounds(e);
            assertTrue(r[0] <= seen[0] && seen[1] <= r[1], "bounds " + r[0] + ".." + r[1] + " of " + e + " miss "
                    + seen[0] + ".." + seen[1] + " on " + d.isl("S"));
        }
        assertTrue(nonEmpty > 200, "most random domains have points: " + nonEmpty);
        assertTrue(nonEmptyWithEquality > 20, "equalities on domains with points: " + nonEmptyWithEquality);
    }

    @Test
    void accessChecksAgreeWithTheExactVerifier() {
        Random rnd = new Random(11);
        int[] verdicts = new int[2];
        int[] withEquality = new int[2];
        for (int trial = 0; trial < 150; trial++) {
            Domain d = randomDomain(rnd);
            Expr index = randomExpr(rnd, d.names());
            long extent = 1 + rnd.nextInt(24);
            String program = "program \"r\" spec=\"inferentia2\" dtype=fp32\n"
                    + "buffer x dram fp32 [" + extent + "] input \"x\"\n"
                    + "buffer t_sb sbuf fp32 [128, 1]\n\n"
                    + "stmt a_load kind=dma engine=dma op=copy tiles=1 node=\"a\"\n"
                    + "  domain   " + d.isl("a_load") + "\n"
                    + "  schedule { " + d.tuple("a_load") + " -> [0, " + String.join(", ", d.names()) + "] }\n"
                    + "  write    t_sb { " + d.tuple("a_load") + " -> t_sb[0, 0] }\n"
                    + "  read     x { " + d.tuple("a_load") + " -> x[" + index + "] }\n";
            int verdict = agree(program);
            verdicts[verdict]++;
            if (hasEquality(d)) {
                withEquality[verdict]++;
            }
        }
        assertTrue(verdicts[0] > 20 && verdicts[1] > 20, "both verdicts occur: " + verdicts[0] + " pass, "
                + verdicts[1] + " fail");
        assertTrue(withEquality[0] > 5 && withEquality[1] > 5, "both verdicts occur on domains with an equality: "
                + withEquality[0] + " pass, " + withEquality[1] + " fail");
    }

    private static boolean hasEquality(Domain d) {
        return d.constraints().stream().anyMatch(c -> c.relation() == Constraint.Relation.EQ);
    }

    @Test
    void sourceChecksAgreeWithTheExactVerifier() {
        Random rnd = new Random(13);
        int[] verdicts = new int[2];
        for (int trial = 0; trial < 150; trial++) {
            StringBuilder p = new StringBuilder("program \"r\" spec=\"inferentia2\" dtype=fp32\n"
                    + "buffer x dram fp32 [16, 16] input \"x\"\n"
                    + "buffer y dram fp32 [16, 16] output \"y\"\n"
                    + "buffer t_sb sbuf fp32 [16, 16]\n");
            int writers = 1 + rnd.nextInt(2);
            for (int w = 0; w < writers; w++) {
                p.append("\n").append(sourceStatement(rnd, "w" + w, true));
            }
            p.append("\n").append(sourceStatement(rnd, "r", false));
            verdicts[agree(p.toString())]++;
        }
        assertTrue(verdicts[0] > 20 && verdicts[1] > 20, "both verdicts occur: " + verdicts[0] + " pass, "
                + verdicts[1] + " fail");
    }

    /** The lowered fixtures pass both verifiers. */
    @Test
    void fixturesPassBothVerifiers() {
        for (String model : List.of("mlp", "conv-relu", "residual-block", "attention-block")) {
            LoopProgram p = Lowering.lower(Zoo.build(model), SPEC, LoweringOptions.DEFAULTS.withVerify(false));
            LoopVerifier.verify(p, SPEC);
            LoopVerifier.verifyExactly(p, SPEC);
        }
    }

    /** 0 when both verifiers pass, 1 when both fail with the same message; anything else fails the test. */
    private static int agree(String text) {
        LoopProgram p = LoopText.parse(text);
        String fast = verdict(() -> LoopVerifier.verify(p, SPEC));
        String exact = verdict(() -> LoopVerifier.verifyExactly(p, SPEC));
        assertEquals(exact, fast, "verdicts differ on\n" + text);
        return fast.isEmpty() ? 0 : 1;
    }

    private static String verdict(Runnable check) {
        try {
            check.run();
            return "";
        } catch (InternalCompilerError e) {
            return e.getMessage();
        }
    }

    /**
     * A DMA statement over {@code [t, p, f]} at time {@code [0, t, k, p, f]} or {@code [0, k, t, p, f]}:
     * a writer loads {@code t_sb[p + a, f + b]} over a larger domain, the reader stores
     * {@code t_sb[(random index)]}.
     */
    private static String sourceStatement(Random rnd, String name, boolean writer) {
        int least = writer ? 4 : 1;
        List<Iterator> its = List.of(Iterator.range("t", writer ? 3 : 1 + rnd.nextInt(3)),
                Iterator.range("p", least + rnd.nextInt(5)), Iterator.range("f", least + rnd.nextInt(5)));
        List<Constraint> cs = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            cs.add(Constraint.lt(Expr.var("p").plus(Expr.var("t").times(2)), Expr.constant(2 + rnd.nextInt(6))));
        }
        Domain d = new Domain(its, cs);
        String k = Integer.toString(writer ? rnd.nextInt(3) : 1 + rnd.nextInt(2));
        String time = rnd.nextInt(4) == 0 ? "[0, " + k + ", t, p, f]" : "[0, t, " + k + ", p, f]";
        String tuple = d.tuple(name);
        String sb = "t_sb[" + (writer ? "p + " + rnd.nextInt(2) + ", f + " + rnd.nextInt(2)
                : pick(rnd, "p", "p + 1", "t + p", "f") + ", " + pick(rnd, "f", "f + 1", "2t + f", "floor((f)/2)")) + "]";
        String dram = "[p, f]";
        return "stmt " + name + " kind=dma engine=dma op=copy tiles=1 node=\"" + name + "\"\n"
                + "  domain   " + d.isl(name) + "\n"
                + "  schedule { " + tuple + " -> " + time + " }\n"
                + (writer ? "  write    t_sb { " + tuple + " -> " + sb + " }\n  read     x { " + tuple + " -> x" + dram + " }\n"
                        : "  write    y { " + tuple + " -> y" + dram + " }\n  read     t_sb { " + tuple + " -> " + sb + " }\n");
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    /** Iterators t, p, f with constant or affine bounds, and up to two random constraints. */
    private static Domain randomDomain(Random rnd) {
        List<Iterator> its = new ArrayList<>();
        its.add(Iterator.range("t", 1 + rnd.nextInt(3)));
        its.add(new Iterator("p", Expr.constant(rnd.nextInt(3) - 1), Expr.constant(2 + rnd.nextInt(6))));
        Expr fUpper = rnd.nextBoolean() ? Expr.constant(1 + rnd.nextInt(6)) : Expr.var("p").plus(1 + rnd.nextInt(3));
        its.add(new Iterator("f", Expr.constant(0), fUpper));
        List<Constraint> cs = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            Expr lhs = randomExpr(rnd, List.of("t", "p", "f"));
            Expr rhs = Expr.constant(rnd.nextInt(12) - 2);
            cs.add(switch (rnd.nextInt(4)) {
                case 0 -> Constraint.le(lhs, rhs);
                case 1 -> Constraint.lt(rhs, lhs);
                case 2 -> randomEquality(rnd);
                default -> Constraint.lt(lhs, rhs);
            });
        }
        return new Domain(its, cs);
    }

    /**
     * An equality {@code a·u + b·v = c} over two distinct iterators, a and b in [-2, 2] and not both
     * 0, sometimes with a floor or a mod term: negative multipliers make the bounds tighten both
     * signs of a term. Small coefficients and c in [-2, 5] leave most such domains with points.
     */
    private static Constraint randomEquality(Random rnd) {
        List<String> vars = new ArrayList<>(List.of("t", "p", "f"));
        java.util.Collections.shuffle(vars, rnd);
        long a = rnd.nextInt(4) - 2;
        long b = rnd.nextInt(5) - 2;
        a = a == 0 && b == 0 ? 1 : a;
        Expr lhs = Expr.var(vars.get(0)).times(a).plus(Expr.var(vars.get(1)).times(b));
        switch (rnd.nextInt(4)) {
            case 0 -> lhs = lhs.plus(Expr.floorDiv(Expr.var(vars.get(2)), 2 + rnd.nextInt(2)));
            case 1 -> lhs = lhs.minus(Expr.mod(Expr.var(vars.get(2)), 2 + rnd.nextInt(2)));
            default -> { }
        }
        return Constraint.eq(lhs, Expr.constant(rnd.nextInt(8) - 2));
    }

    /** A small quasi-affine expression: coefficients in [-2, 4], sometimes a floor or a mod. */
    private static Expr randomExpr(Random rnd, List<String> vars) {
        Expr e = Expr.constant(rnd.nextInt(5) - 2);
        for (String v : vars) {
            e = e.plus(Expr.var(v).times(rnd.nextInt(7) - 2));
        }
        switch (rnd.nextInt(6)) {
            case 0 -> e = e.plus(Expr.floorDiv(Expr.var(vars.get(rnd.nextInt(vars.size()))).plus(rnd.nextInt(3)),
                    2 + rnd.nextInt(3)));
            case 1 -> e = e.plus(Expr.mod(Expr.var(vars.get(rnd.nextInt(vars.size()))).plus(rnd.nextInt(3)),
                    2 + rnd.nextInt(3)).times(rnd.nextInt(5) - 2));
            default -> { }
        }
        return e;
    }
}
