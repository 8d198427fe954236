package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;

/**
 * VGG-16 (Simonyan and Zisserman 2014, configuration D) at 224x224: thirteen 3x3 convolutions
 * (padding 1, with bias, each followed by ReLU) in five stages of 64, 128, 256, 512, 512 channels,
 * a 2x2 max pool after each stage, then fully connected layers of 4096, 4096 and 1000.
 */
final class Vgg16 {
    /** Channels per convolution; 0 marks a 2x2 max pool. */
    private static final long[] CONFIG_D = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private Vgg16() {}

    static Graph build() {
        Layers l = new Layers("vgg16");
        String x = l.input("input", 1, 3, 224, 224);
        int conv = 0;
        int pool = 0;
        for (long channels : CONFIG_D) {
            if (channels == 0) {
                x = l.maxPool("pool" + ++pool, x, 2, 2, 0);
            } else {
                String name = "conv" + ++conv;
                x = l.relu(name + ".relu", l.conv(name, x, channels, 3, 3, 1, 1, 1, 1, true));
            }
        }
        x = l.flatten("flatten", x);
        x = l.relu("fc6.relu", l.linear("fc6", x, 4096));
        x = l.relu("fc7.relu", l.linear("fc7", x, 4096));
        return l.build(l.linear("fc8", x, 1000));
    }
}
