package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random union of small 2-D integer sets inside the box {@code [-B, B]^2}, kept both as isl
 * text and as a predicate evaluated directly (independently of the library), so that the
 * library's answers can be checked point by point. Atoms: {@code a·i + b·j + c >= 0},
 * {@code (a·i + b·j + c) mod m = r} and {@code exists e : a·i + b·j + c = m·e}.
 */
final class RandomSet {
    static final int B = 6;

    private record Atom(int kind, int a, int b, int c, int m, int r) {
        boolean holds(int i, int j) {
            long v = (long) a * i + (long) b * j + c;
            return switch (kind) {
                case 0 -> v >= 0;
                case 1 -> Math.floorMod(v, m) == r;
                default -> Math.floorMod(v, m) == 0;
            };
        }

        String text() {
            String e = a + "i + " + b + "j + " + c;
            return switch (kind) {
                case 0 -> e + " >= 0";
                case 1 -> "(" + e + ") mod " + m + " = " + r;
                default -> "exists (e : " + e + " = " + m + "e)";
            };
        }
    }

    private final List<List<Atom>> disjuncts;

    private RandomSet(List<List<Atom>> disjuncts) {
        this.disjuncts = disjuncts;
    }

    static RandomSet random(Random rnd) {
        List<List<Atom>> ds = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int d = 0; d < n; d++) {
            List<Atom> atoms = new ArrayList<>();
            int k = 1 + rnd.nextInt(3);
            for (int t = 0; t < k; t++) {
                int kind = rnd.nextInt(5) < 3 ? 0 : rnd.nextInt(2) + 1;
                int m = 2 + rnd.nextInt(3);
                atoms.add(new Atom(kind, rnd.nextInt(7) - 3, rnd.nextInt(7) - 3, rnd.nextInt(9) - 4, m, rnd.nextInt(m)));
            }
            ds.add(atoms);
        }
        return new RandomSet(ds);
    }

    boolean contains(int i, int j) {
        if (Math.abs(i) > B || Math.abs(j) > B) {
            return false;
        }
        for (List<Atom> d : disjuncts) {
            boolean all = true;
            for (Atom a : d) {
                all &= a.holds(i, j);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    String text() {
        List<String> ds = new ArrayList<>();
        for (List<Atom> d : disjuncts) {
            List<String> as = new ArrayList<>();
            for (Atom a : d) {
                as.add(a.text());
            }
            ds.add("(" + String.join(" and ", as) + ")");
        }
        return "{ [i, j] : -" + B + " <= i <= " + B + " and -" + B + " <= j <= " + B + " and (" + String.join(" or ", ds) + ") }";
    }

    @Override
    public String toString() {
        return text();
    }
}
