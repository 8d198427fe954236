package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;
import java.util.List;

/**
 * Inception-v3 (Szegedy et al. 2015, Table 1) at 299x299 without the auxiliary classifier, with the
 * module widths of the reference implementation (torchvision). Every convolution has no bias and
 * is followed by BatchNormalization (epsilon 0.001) and ReLU.
 *
 * <pre>
 * stem      3x3/2 32, 3x3 32, 3x3 64 (pad 1), 3x3/2 max pool, 1x1 80, 3x3 192, 3x3/2 max pool  -&gt; 35x35x192
 * 3 x A     (Figure 5) pool projections 32, 64, 64                                          -&gt; 35x35x288
 * B         grid reduction                                                                  -&gt; 17x17x768
 * 4 x C     (Figure 6, n = 7) 7x7 factorized into 1x7 and 7x1, inner widths 128, 160, 160, 192
 * D         grid reduction                                                                  -&gt; 8x8x1280
 * 2 x E     (Figure 7) expanded filter banks                                                -&gt; 8x8x2048
 * head      global average pool, 1000-way fully connected
 * </pre>
 */
final class InceptionV3 {
    private static final double BN_EPSILON = 1e-3;

    private InceptionV3() {}

    static Graph build() {
        Layers l = new Layers("inceptionv3");
        String x = l.input("input", 1, 3, 299, 299);
        x = basic(l, "Conv2d_1a_3x3", x, 32, 3, 3, 2, 0, 0);
        x = basic(l, "Conv2d_2a_3x3", x, 32, 3, 3, 1, 0, 0);
        x = basic(l, "Conv2d_2b_3x3", x, 64, 3, 3, 1, 1, 1);
        x = l.maxPool("maxpool1", x, 3, 2, 0);
        x = basic(l, "Conv2d_3b_1x1", x, 80, 1, 1, 1, 0, 0);
        x = basic(l, "Conv2d_4a_3x3", x, 192, 3, 3, 1, 0, 0);
        x = l.maxPool("maxpool2", x, 3, 2, 0);
        x = inceptionA(l, "Mixed_5b", x, 32);
        x = inceptionA(l, "Mixed_5c", x, 64);
        x = inceptionA(l, "Mixed_5d", x, 64);
        x = inceptionB(l, "Mixed_6a", x);
        x = inceptionC(l, "Mixed_6b", x, 128);
        x = inceptionC(l, "Mixed_6c", x, 160);
        x = inceptionC(l, "Mixed_6d", x, 160);
        x = inceptionC(l, "Mixed_6e", x, 192);
        x = inceptionD(l, "Mixed_7a", x);
        x = inceptionE(l, "Mixed_7b", x);
        x = inceptionE(l, "Mixed_7c", x);
        x = l.flatten("flatten", l.globalAvgPool("avgpool", x));
        return l.build(l.linear("fc", x, 1000));
    }

    /** 35x35 module: 1x1; 1x1 then 5x5; 1x1 then two 3x3; 3x3 average pool then 1x1 projection. */
    private static String inceptionA(Layers l, String name, String x, long poolFeatures) {
        String b1 = basic(l, name + ".branch1x1", x, 64, 1, 1, 1, 0, 0);
        String b5 = basic(l, name + ".branch5x5_1", x, 48, 1, 1, 1, 0, 0);
        b5 = basic(l, name + ".branch5x5_2", b5, 64, 5, 5, 1, 2, 2);
        String b3 = basic(l, name + ".branch3x3dbl_1", x, 64, 1, 1, 1, 0, 0);
        b3 = basic(l, name + ".branch3x3dbl_2", b3, 96, 3, 3, 1, 1, 1);
        b3 = basic(l, name + ".branch3x3dbl_3", b3, 96, 3, 3, 1, 1, 1);
        String bp = basic(l, name + ".branch_pool", l.avgPool(name + ".avgpool", x, 3, 1, 1), poolFeatures, 1, 1, 1,
                0, 0);
        return l.concat(name + ".concat", List.of(b1, b5, b3, bp));
    }

    /** 35 to 17 reduction: 3x3/2; 1x1, 3x3, 3x3/2; 3x3/2 max pool. */
    private static String inceptionB(Layers l, String name, String x) {
        String b3 = basic(l, name + ".branch3x3", x, 384, 3, 3, 2, 0, 0);
        String bd = basic(l, name + ".branch3x3dbl_1", x, 64, 1, 1, 1, 0, 0);
        bd = basic(l, name + ".branch3x3dbl_2", bd, 96, 3, 3, 1, 1, 1);
        bd = basic(l, name + ".branch3x3dbl_3", bd, 96, 3, 3, 2, 0, 0);
        String bp = l.maxPool(name + ".maxpool", x, 3, 2, 0);
        return l.concat(name + ".concat", List.of(b3, bd, bp));
    }

    /** 17x17 module with 7x7 convolutions factorized into 1x7 and 7x1 of inner width c7. */
    private static String inceptionC(Layers l, String name, String x, long c7) {
        String b1 = basic(l, name + ".branch1x1", x, 192, 1, 1, 1, 0, 0);
        String b7 = basic(l, name + ".branch7x7_1", x, c7, 1, 1, 1, 0, 0);
        b7 = basic(l, name + ".branch7x7_2", b7, c7, 1, 7, 1, 0, 3);
        b7 = basic(l, name + ".branch7x7_3", b7, 192, 7, 1, 1, 3, 0);
        String bd = basic(l, name + ".branch7x7dbl_1", x, c7, 1, 1, 1, 0, 0);
        bd = basic(l, name + ".branch7x7dbl_2", bd, c7, 7, 1, 1, 3, 0);
        bd = basic(l, name + ".branch7x7dbl_3", bd, c7, 1, 7, 1, 0, 3);
        bd = basic(l, name + ".branch7x7dbl_4", bd, c7, 7, 1, 1, 3, 0);
        bd = basic(l, name + ".branch7x7dbl_5", bd, 192, 1, 7, 1, 0, 3);
        String bp = basic(l, name + ".branch_pool", l.avgPool(name + ".avgpool", x, 3, 1, 1), 192, 1, 1, 1, 0, 0);
        return l.concat(name + ".concat", List.of(b1, b7, bd, bp));
    }

    /** 17 to 8 reduction: 1x1, 3x3/2; 1x1, 1x7, 7x1, 3x3/2; 3x3/2 max pool. */
    private static String inceptionD(Layers l, String name, String x) {
        String b3 = basic(l, name + ".branch3x3_1", x, 192, 1, 1, 1, 0, 0);
        b3 = basic(l, name + ".branch3x3_2", b3, 320, 3, 3, 2, 0, 0);
        String b7 = basic(l, name + ".branch7x7x3_1", x, 192, 1, 1, 1, 0, 0);
        b7 = basic(l, name + ".branch7x7x3_2", b7, 192, 1, 7, 1, 0, 3);
        b7 = basic(l, name + ".branch7x7x3_3", b7, 192, 7, 1, 1, 3, 0);
        b7 = basic(l, name + ".branch7x7x3_4", b7, 192, 3, 3, 2, 0, 0);
        String bp = l.maxPool(name + ".maxpool", x, 3, 2, 0);
        return l.concat(name + ".concat", List.of(b3, b7, bp));
    }

    /** 8x8 module whose 3x3 branches split into parallel 1x3 and 3x1 convolutions. */
    private static String inceptionE(Layers l, String name, String x) {
        String b1 = basic(l, name + ".branch1x1", x, 320, 1, 1, 1, 0, 0);
        String b3 = basic(l, name + ".branch3x3_1", x, 384, 1, 1, 1, 0, 0);
        b3 = l.concat(name + ".branch3x3", List.of(
                basic(l, name + ".branch3x3_2a", b3, 384, 1, 3, 1, 0, 1),
                basic(l, name + ".branch3x3_2b", b3, 384, 3, 1, 1, 1, 0)));
        String bd = basic(l, name + ".branch3x3dbl_1", x, 448, 1, 1, 1, 0, 0);
        bd = basic(l, name + ".branch3x3dbl_2", bd, 384, 3, 3, 1, 1, 1);
        bd = l.concat(name + ".branch3x3dbl", List.of(
                basic(l, name + ".branch3x3dbl_3a", bd, 384, 1, 3, 1, 0, 1),
                basic(l, name + ".branch3x3dbl_3b", bd, 384, 3, 1, 1, 1, 0)));
        String bp = basic(l, name + ".branch_pool", l.avgPool(name + ".avgpool", x, 3, 1, 1), 192, 1, 1, 1, 0, 0);
        return l.concat(name + ".concat", List.of(b1, b3, bd, bp));
    }

    /** Conv (kh x kw, no bias) + BatchNormalization + ReLU. */
    private static String basic(Layers l, String name, String x, long out, long kh, long kw, long stride, long padH,
            long padW) {
        String y = l.conv(name + ".conv", x, out, kh, kw, stride, padH, padW, 1, false);
        return l.relu(name + ".relu", l.batchNorm(name + ".bn", y, BN_EPSILON));
    }
}
