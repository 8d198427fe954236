package dev.tessera.operators.lowering;

import java.util.List;
import java.util.Objects;

/** An {@link OpCode} with its parameters; text {@code leaky_relu(0.01)} or {@code mac}. */
public record Operation(OpCode code, List<Double> params) {
    public Operation {
        Objects.requireNonNull(code, "code");
        params = List.copyOf(params);
        if (code.params() == OpCode.VARIADIC ? params.isEmpty() : params.size() != code.params()) {
            throw new IllegalArgumentException("op " + code.text() + " takes "
                    + (code.params() == OpCode.VARIADIC ? "at least 1" : Integer.toString(code.params()))
                    + " parameters, got " + params.size());
        }
    }

    public static Operation of(OpCode code, List<Double> params) {
        return new Operation(code, params);
    }

    public static Operation of(OpCode code, double... params) {
        java.util.List<Double> p = new java.util.ArrayList<>();
        for (double d : params) {
            p.add(d);
        }
        return new Operation(code, p);
    }

    public double[] paramArray() {
        double[] p = new double[params.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = params.get(i);
        }
        return p;
    }

    @Override
    public String toString() {
        if (params.isEmpty()) {
            return code.text();
        }
        StringBuilder sb = new StringBuilder(code.text()).append('(');
        for (int i = 0; i < params.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(params.get(i));
        }
        return sb.append(')').toString();
    }
}
