package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;

/**
 * MobileNetV2 1.0 (Sandler et al. 2018, Table 2) at 224x224. Each row (t, c, n, s) is n inverted
 * residual blocks with expansion t and c output channels, the first with stride s:
 *
 * <pre>
 * conv2d 3x3, 32, stride 2
 * (1, 16, 1, 1) (6, 24, 2, 2) (6, 32, 3, 2) (6, 64, 4, 2) (6, 96, 3, 1) (6, 160, 3, 2) (6, 320, 1, 1)
 * conv2d 1x1, 1280; global average pool; 1000-way fully connected
 * </pre>
 *
 * A block is 1x1 expand (skipped when t = 1) + ReLU6, 3x3 depthwise (group = channels) + ReLU6,
 * 1x1 linear projection, each convolution followed by BatchNormalization; the input is added back
 * when the stride is 1 and the channel count is unchanged. ReLU6 is Clip(0, 6).
 */
final class MobileNetV2 {
    private static final double BN_EPSILON = 1e-5;
    private static final long[][] ROWS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private MobileNetV2() {}

    static Graph build() {
        Layers l = new Layers("mobilenetv2");
        String x = l.input("input", 1, 3, 224, 224);
        x = convBnRelu6(l, "features.0", x, 32, 3, 2, 1);
        int index = 1;
        for (long[] row : ROWS) {
            for (int i = 0; i < row[2]; i++) {
                x = invertedResidual(l, "features." + index++, x, row[0], row[1], i == 0 ? row[3] : 1);
            }
        }
        x = convBnRelu6(l, "features." + index, x, 1280, 1, 1, 1);
        x = l.flatten("flatten", l.globalAvgPool("avgpool", x));
        return l.build(l.linear("classifier", x, 1000));
    }

    private static String invertedResidual(Layers l, String name, String x, long expansion, long out, long stride) {
        long in = l.channels(x);
        long hidden = in * expansion;
        String y = x;
        if (expansion != 1) {
            y = convBnRelu6(l, name + ".expand", y, hidden, 1, 1, 1);
        }
        y = convBnRelu6(l, name + ".dw", y, hidden, 3, stride, hidden);
        y = l.batchNorm(name + ".project.bn", l.conv(name + ".project", y, out, 1, 1, 1, 0, 0, 1, false), BN_EPSILON);
        return stride == 1 && in == out ? l.add(name + ".add", x, y) : y;
    }

    private static String convBnRelu6(Layers l, String name, String x, long out, long k, long stride, long group) {
        long pad = (k - 1) / 2;
        String y = l.conv(name + ".conv", x, out, k, k, stride, pad, pad, group, false);
        return l.relu6(name + ".relu6", l.batchNorm(name + ".bn", y, BN_EPSILON));
    }
}
