package dev.tessera.polyhedral;

import java.util.Arrays;

/**
 * The definition of an existential local as a floor division:
 * {@code q = floor((numerator · columns + constant) / denominator)}, equivalently the two
 * constraints {@code numerator - d·q >= 0} and {@code d·q - numerator + d - 1 >= 0}, which
 * admit exactly one integer {@code q} for every value of the other columns. Example:
 * {@code floor((i + 1)/2)} over columns {@code [i | q]} is numerator {@code [1, 0, 1]}, denominator 2.
 *
 * @param numerator coefficients over all columns of the owning conjunction, then the constant
 *     (the coefficient of the local itself is 0)
 * @param denominator a positive integer
 */
public record Div(long[] numerator, long denominator) {
    public Div {
        if (denominator <= 0) {
            throw new IllegalArgumentException("div denominator must be positive: " + denominator);
        }
        numerator = numerator.clone();
    }

    @Override
    public long[] numerator() {
        return numerator.clone();
    }

    long num(int i) {
        return numerator[i];
    }

    int length() {
        return numerator.length;
    }

    /** The two defining inequalities for local column {@code col} (rows of the same length as the numerator). */
    long[][] definingConstraints(int col) {
        long[] upper = numerator.clone();
        upper[col] = ExactMath.sub(upper[col], denominator);
        long[] lower = new long[numerator.length];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = ExactMath.neg(numerator[i]);
        }
        lower[col] = ExactMath.add(lower[col], denominator);
        lower[lower.length - 1] = ExactMath.add(lower[lower.length - 1], ExactMath.sub(denominator, 1));
        return new long[][] {upper, lower};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Div d && denominator == d.denominator && Arrays.equals(numerator, d.numerator);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(numerator) + Long.hashCode(denominator);
    }

    @Override
    public String toString() {
        return "floor(" + Arrays.toString(numerator) + "/" + ExactMath.toString(denominator) + ")";
    }
}
