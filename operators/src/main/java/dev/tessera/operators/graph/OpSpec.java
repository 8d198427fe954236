package dev.tessera.operators.graph;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the IR accepts for one op type: how many inputs and outputs, which attribute names, and the
 * shape rule. Optional trailing inputs may be absent; {@code maxInputs} of
 * {@link Integer#MAX_VALUE} means variadic.
 */
record OpSpec(String opType, int minInputs, int maxInputs, int minOutputs, int maxOutputs,
        SortedSet<String> attributes, ShapeRule rule) {
    OpSpec {
        attributes = Collections.unmodifiableSortedSet(new TreeSet<>(attributes));
    }

    static OpSpec of(String opType, int minInputs, int maxInputs, List<String> attributes, ShapeRule rule) {
        return new OpSpec(opType, minInputs, maxInputs, 1, 1, new TreeSet<>(attributes), rule);
    }

    OpSpec withOutputs(int min, int max) {
        return new OpSpec(opType, minInputs, maxInputs, min, max, attributes, rule);
    }
}
