package dev.tessera.operators.reference;

/**
 * When two results agree: element-wise |a − b| ≤ atol + rtol·|b|, b the expected value (NaN agrees
 * only with NaN, an infinity only with itself). Defaults atol 1e-5, rtol 1e-4.
 *
 * <p>Example: expected 100, actual 100.009 passes (0.009 ≤ 1e-5 + 0.01); actual 100.02 fails.
 */
public record Tolerance(double atol, double rtol) {
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-4);

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative: atol " + atol + ", rtol " + rtol);
        }
    }

    /**
     * The comparison of two tensors of equal shape.
     *
     * @param maxAbsError   max |a − b|
     * @param maxRelError   max |a − b| / |b| over elements with b ≠ 0
     * @param failures      elements outside the tolerance
     * @param worstIndex    the failing element with the largest excess over its bound (−1 when none fails)
     * @param shapesMatch   whether the shapes agree (when not, nothing else is compared)
     */
    public record Comparison(double maxAbsError, double maxRelError, long failures, int worstIndex, boolean shapesMatch) {
        public boolean passed() {
            return shapesMatch && failures == 0;
        }
    }

    public Comparison compare(FloatTensor actual, FloatTensor expected) {
        if (!actual.shapeList().equals(expected.shapeList())) {
            return new Comparison(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Math.max(actual.size(),
                    expected.size()), -1, false);
        }
        double maxAbs = 0;
        double maxRel = 0;
        long failures = 0;
        int worst = -1;
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < expected.size(); i++) {
            double a = actual.get(i);
            double b = expected.get(i);
            double err;
            boolean ok;
            if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
                ok = Double.compare(a, b) == 0;
                err = ok ? 0 : Double.POSITIVE_INFINITY;
            } else {
                err = Math.abs(a - b);
                ok = err <= atol + rtol * Math.abs(b);
                if (b != 0) {
                    maxRel = Math.max(maxRel, err / Math.abs(b));
                }
            }
            maxAbs = Math.max(maxAbs, err);
            double excess = err - (atol + rtol * Math.abs(b));
            if (!ok) {
                failures++;
            }
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        return new Comparison(maxAbs, maxRel, failures, failures == 0 ? -1 : worst, true);
    }
}
