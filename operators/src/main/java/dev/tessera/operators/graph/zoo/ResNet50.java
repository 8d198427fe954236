package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;

/**
 * ResNet-50 v1.5 (He et al. 2015, Table 1, "50-layer" column; v1.5 puts the stride-2 of each
 * stage's first block on the 3x3 convolution instead of the first 1x1, as torchvision and MLPerf
 * do). 224x224 input; convolutions without bias, each followed by BatchNormalization (epsilon 1e-5).
 *
 * <pre>
 * stem     7x7, 64, stride 2; 3x3 max pool, stride 2          112x112 -&gt; 56x56
 * layer1   [1x1, 64;  3x3, 64;  1x1, 256]  x 3                 56x56
 * layer2   [1x1, 128; 3x3, 128; 1x1, 512]  x 4, stride 2       28x28
 * layer3   [1x1, 256; 3x3, 256; 1x1, 1024] x 6, stride 2       14x14
 * layer4   [1x1, 512; 3x3, 512; 1x1, 2048] x 3, stride 2       7x7
 * head     global average pool, 1000-way fully connected
 * </pre>
 */
final class ResNet50 {
    private static final double BN_EPSILON = 1e-5;
    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final long[] WIDTHS = {64, 128, 256, 512};
    private static final long EXPANSION = 4;

    private ResNet50() {}

    static Graph build() {
        Layers l = new Layers("resnet50");
        String x = l.input("input", 1, 3, 224, 224);
        x = l.relu("relu", l.batchNorm("bn1", l.conv("conv1", x, 64, 7, 2, 3), BN_EPSILON));
        x = l.maxPool("maxpool", x, 3, 2, 1);
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            for (int block = 0; block < BLOCKS[stage]; block++) {
                long stride = stage > 0 && block == 0 ? 2 : 1;
                x = bottleneck(l, "layer" + (stage + 1) + "." + block, x, WIDTHS[stage], stride);
            }
        }
        x = l.flatten("flatten", l.globalAvgPool("avgpool", x));
        return l.build(l.linear("fc", x, 1000));
    }

    /** 1x1 reduce, 3x3 (carrying the stride), 1x1 expand; a projected shortcut when the shape changes. */
    private static String bottleneck(Layers l, String name, String x, long width, long stride) {
        String y = l.relu(name + ".relu1", l.batchNorm(name + ".bn1", l.conv(name + ".conv1", x, width, 1, 1, 0),
                BN_EPSILON));
        y = l.relu(name + ".relu2", l.batchNorm(name + ".bn2", l.conv(name + ".conv2", y, width, 3, stride, 1),
                BN_EPSILON));
        y = l.batchNorm(name + ".bn3", l.conv(name + ".conv3", y, width * EXPANSION, 1, 1, 0), BN_EPSILON);
        String shortcut = x;
        if (stride != 1 || l.channels(x) != width * EXPANSION) {
            shortcut = l.batchNorm(name + ".downsample.1",
                    l.conv(name + ".downsample.0", x, width * EXPANSION, 1, stride, 0), BN_EPSILON);
        }
        return l.relu(name + ".relu3", l.add(name + ".add", y, shortcut));
    }
}
