package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Graph;

/** Small graphs for tests and examples: each exercises a few ops in seconds. */
final class Fixtures {
    private Fixtures() {}

    /** A 784-256-128-10 perceptron: Gemm + Relu. */
    static Graph mlp() {
        Layers l = new Layers("mlp");
        String x = l.input("input", 1, 784);
        x = l.relu("fc1.relu", l.linear("fc1", x, 256));
        x = l.relu("fc2.relu", l.linear("fc2", x, 128));
        return l.build(l.linear("fc3", x, 10));
    }

    /** One 3x3 convolution (16 channels, padding 1, with bias) and a Relu on a 1x3x32x32 image. */
    static Graph convRelu() {
        Layers l = new Layers("conv-relu");
        String x = l.input("input", 1, 3, 32, 32);
        return l.build(l.relu("relu", l.conv("conv", x, 16, 3, 3, 1, 1, 1, 1, true)));
    }

    /** A ResNet basic block on 1x64x56x56: two 3x3 Conv + BatchNormalization, identity shortcut. */
    static Graph residualBlock() {
        Layers l = new Layers("residual-block");
        String x = l.input("input", 1, 64, 56, 56);
        String y = l.relu("relu1", l.batchNorm("bn1", l.conv("conv1", x, 64, 3, 1, 1), 1e-5));
        y = l.batchNorm("bn2", l.conv("conv2", y, 64, 3, 1, 1), 1e-5);
        return l.build(l.relu("relu2", l.add("add", y, x)));
    }

    /** One transformer encoder layer: sequence 16, hidden 64, 4 heads, feed-forward 256. */
    static Graph attentionBlock() {
        Layers l = new Layers("attention-block");
        String x = l.input("input", 1, 16, 64);
        return l.build(Bert.encoderLayer(l, "encoder", x, 4, 256));
    }
}
