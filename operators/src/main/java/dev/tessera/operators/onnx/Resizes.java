package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resize (opsets 10–18) in canonical form: {@code mode}, {@code coordinate_transformation_mode},
 * {@code nearest_mode}, {@code scales}, {@code cubic_coeff_a}, {@code exclude_outside},
 * {@code extrapolation_value} and, for tf_crop_and_resize, {@code roi}. The output size of each axis is {@code sizes[i]} when
 * sizes are given, else {@code floor(in[i] · scales[i])}; the attribute {@code scales} always holds
 * the scale the coordinate mapping uses (the given one, or {@code out/in} when sizes were given).
 * Example: in [1,3,20,20] with scales [1,1,2,2] → out [1,3,40,40], scales [1,1,2,2].
 */
final class Resizes {
    private static final Set<String> COORDINATE_MODES = Set.of("half_pixel", "pytorch_half_pixel", "align_corners",
            "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize");
    private static final Set<String> NEAREST_MODES = Set.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil");

    private Resizes() {}

    static List<Node> convert(NodeContext ctx) {
        List<Long> in = ctx.shape(0);
        int rank = in.size();
        String mode = ctx.attrString("mode", "nearest");
        if (!Set.of("nearest", "linear", "cubic").contains(mode)) {
            throw ctx.error("mode '" + mode + "' is not supported (nearest, linear and cubic are)");
        }
        String coordinates;
        String nearest;
        ConstTensor scales = null;
        ConstTensor sizes = null;
        if (ctx.opset() < 11) {
            coordinates = "asymmetric";
            nearest = "floor";
            scales = ctx.constInput(1, "scales");
        } else {
            coordinates = ctx.attrString("coordinate_transformation_mode", "half_pixel");
            nearest = ctx.attrString("nearest_mode", "round_prefer_floor");
            if (ctx.hasInput(2) && ctx.shape(2).stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact) > 0) {
                scales = ctx.constInput(2, "scales");
            }
            if (ctx.hasInput(3) && ctx.shape(3).stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact) > 0) {
                sizes = ctx.constInput(3, "sizes");
            }
        }
        if (!COORDINATE_MODES.contains(coordinates)) {
            throw ctx.error("coordinate_transformation_mode '" + coordinates + "' is not supported");
        }
        if (!NEAREST_MODES.contains(nearest)) {
            throw ctx.error("nearest_mode '" + nearest + "' is not supported");
        }
        if (ctx.attrInt("antialias", 0) != 0 || !ctx.attrString("keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw ctx.error("antialias and keep_aspect_ratio_policy other than stretch are not supported");
        }
        List<Long> axesAttr = ctx.attrInts("axes");
        if (axesAttr != null) {
            throw ctx.error("the axes attribute is not supported; give scales or sizes for every axis");
        }
        if ((scales == null) == (sizes == null)) {
            throw ctx.error("needs exactly one of scales and sizes");
        }
        List<Long> out = new ArrayList<>();
        List<Double> effective = new ArrayList<>();
        ConstTensor given = scales != null ? scales : sizes;
        if (given.size() != rank) {
            throw ctx.error("inconsistent shapes: " + (scales != null ? "scales" : "sizes") + " has " + given.size()
                    + " values for input " + in);
        }
        for (int i = 0; i < rank; i++) {
            long o;
            float s;
            if (scales != null) {
                s = (float) scales.realAt(i);
                if (!(s > 0)) {
                    throw ctx.error("scale " + s + " on axis " + i + " is not positive");
                }
                o = (long) (in.get(i) * s);
            } else {
                o = sizes.intAt(i);
                s = (float) o / in.get(i);
            }
            if (o < 1) {
                throw ctx.error("inconsistent shapes: axis " + i + " of " + in + " would resize to " + o);
            }
            out.add(o);
            effective.add((double) s);
        }
        ctx.define(0, ctx.dtype(0), out);
        Map<String, Attribute> attributes = OpConverter.attrs(
                "mode", Attribute.of(mode), "coordinate_transformation_mode", Attribute.of(coordinates),
                "nearest_mode", Attribute.of(nearest), "scales", new Attribute.Floats(effective),
                "cubic_coeff_a", Attribute.of(ctx.attrFloat("cubic_coeff_a", -0.75)),
                "exclude_outside", Attribute.of(ctx.attrInt("exclude_outside", 0)),
                "extrapolation_value", Attribute.of(ctx.attrFloat("extrapolation_value", 0)));
        if (coordinates.equals("tf_crop_and_resize")) {
            ConstTensor roi = ctx.hasInput(1) ? ctx.constInput(1, "roi") : null;
            if (roi == null || roi.size() != 2 * rank) {
                throw ctx.error("tf_crop_and_resize needs a roi of " + 2 * rank + " values");
            }
            attributes.put("roi", new Attribute.Floats(roi.asDoubleList()));
        }
        return List.of(OpConverter.node(ctx, "Resize", List.of(ctx.inputName(0)), attributes));
    }
}
