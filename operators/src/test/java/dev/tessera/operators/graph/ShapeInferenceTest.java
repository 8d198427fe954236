package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InvalidModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Output shapes per op, checked against sizes worked out by hand from the ONNX definitions. */
class ShapeInferenceTest {

    @Nested
    class Convolution {
        @Test
        void stridedPaddedConv() {
            // floor((224 + 3 + 3 - 7) / 2) + 1 = 112
            assertThat(shape("Conv", attrs("strides", Attribute.ints(2, 2), "pads", Attribute.ints(3, 3, 3, 3)),
                    s(1, 3, 224, 224), s(64, 3, 7, 7))).isEqualTo(s(1, 64, 112, 112));
        }

        @Test
        void asymmetricPadsAndRectangularKernel() {
            // H: (17 + 0 + 0 - 7) / 1 + 1 = 11; W: (17 + 3 + 3 - 1) + 1 = 23
            assertThat(shape("Conv", attrs("pads", Attribute.ints(0, 3, 0, 3)), s(1, 8, 17, 17), s(4, 8, 7, 1)))
                    .isEqualTo(s(1, 4, 11, 23));
        }

        @Test
        void dilationWidensTheKernel() {
            // effective kernel 2*(3-1)+1 = 5: (32 - 5) / 1 + 1 = 28
            assertThat(shape("Conv", attrs("dilations", Attribute.ints(2, 2)), s(1, 3, 32, 32), s(8, 3, 3, 3)))
                    .isEqualTo(s(1, 8, 28, 28));
        }

        @Test
        void groupsDivideTheInputChannels() {
            // depthwise: 32 groups, weight [32, 1, 3, 3]; grouped: 4 groups of 8 channels, weight [16, 8, 3, 3]
            assertThat(shape("Conv", attrs("group", Attribute.of(32), "pads", Attribute.ints(1, 1, 1, 1),
                    "strides", Attribute.ints(2, 2)), s(1, 32, 112, 112), s(32, 1, 3, 3))).isEqualTo(s(1, 32, 56, 56));
            assertThat(shape("Conv", attrs("group", Attribute.of(4)), s(1, 32, 10, 10), s(16, 8, 3, 3)))
                    .isEqualTo(s(1, 16, 8, 8));
        }

        @Test
        void autoPadSameAndValid() {
            assertThat(shape("Conv", attrs("auto_pad", Attribute.of("SAME_UPPER"), "strides", Attribute.ints(2, 2)),
                    s(1, 3, 225, 225), s(8, 3, 3, 3))).isEqualTo(s(1, 8, 113, 113));
            assertThat(shape("Conv", attrs("auto_pad", Attribute.of("VALID")), s(1, 3, 10, 10), s(8, 3, 3, 3)))
                    .isEqualTo(s(1, 8, 8, 8));
        }

        @Test
        void oneAndThreeSpatialDimensionsWithBias() {
            assertThat(shape("Conv", attrs(), s(1, 4, 100), s(6, 4, 5), s(6))).isEqualTo(s(1, 6, 96));
            assertThat(shape("Conv", attrs(), s(1, 2, 8, 8, 8), s(3, 2, 3, 3, 3))).isEqualTo(s(1, 3, 6, 6, 6));
        }

        @Test
        void rejectsChannelMismatchKernelTooLargeAndBadBias() {
            assertFails("Conv", attrs(), "does not match input channels 3", s(1, 3, 8, 8), s(8, 4, 3, 3));
            assertFails("Conv", attrs("group", Attribute.of(2)), "not divisible by group 2", s(1, 4, 8, 8),
                    s(3, 2, 3, 3));
            assertFails("Conv", attrs(), "effective kernel 5 exceeds the padded input 4", s(1, 1, 4, 4),
                    s(1, 1, 5, 5));
            assertFails("Conv", attrs(), "bias input 2 ('in2') has shape [7], expected [8]", s(1, 3, 8, 8),
                    s(8, 3, 3, 3), s(7));
            assertFails("Conv", attrs("strides", Attribute.ints(0, 1)), "attribute 'strides' = [0, 1] must be positive",
                    s(1, 3, 8, 8), s(8, 3, 3, 3));
            assertFails("Conv", attrs("pads", Attribute.ints(1, 1)), "attribute 'pads' = [1, 1] has 2 values, expected 4",
                    s(1, 3, 8, 8), s(8, 3, 3, 3));
            assertFails("Conv", attrs("kernel_shape", Attribute.ints(5, 5)), "does not match the weight's kernel [3, 3]",
                    s(1, 3, 8, 8), s(8, 3, 3, 3));
            assertFails("Conv", attrs("auto_pad", Attribute.of("SAME")), "\"SAME\" is not supported", s(1, 3, 8, 8),
                    s(8, 3, 3, 3));
            assertFails("Conv", attrs(), "input 0 ('in0') has shape [3, 8] of rank 2, expected rank 3, 4 or 5", s(3, 8),
                    s(8, 3, 3, 3));
        }

        @Test
        void absurdAttributeValuesAreErrorsNotWrongShapes() {
            assertFails("Conv", attrs("dilations", Attribute.ints(Long.MAX_VALUE / 2 + 1, 1)),
                    "the output shape overflows 64-bit arithmetic", s(1, 3, 8, 8), s(8, 3, 3, 3));
            assertFails("ConvTranspose", attrs("strides", Attribute.ints(Long.MAX_VALUE / 2, 1)),
                    "the output shape overflows 64-bit arithmetic", s(1, 3, 8, 8), s(3, 8, 3, 3));
            assertFails("Pad", attrs("pads", Attribute.ints(Long.MAX_VALUE, 0)), "overflows", s(2));
        }

        @Test
        void convTranspose() {
            // 2 * (7 - 1) + 0 + 1 * (4 - 1) + 1 - 1 - 1 = 14
            assertThat(shape("ConvTranspose", attrs("strides", Attribute.ints(2, 2), "pads", Attribute.ints(1, 1, 1, 1)),
                    s(1, 16, 7, 7), s(16, 8, 4, 4))).isEqualTo(s(1, 8, 14, 14));
            // output_padding adds to one side; groups multiply the output channels
            assertThat(shape("ConvTranspose", attrs("strides", Attribute.ints(2, 2), "output_padding",
                    Attribute.ints(1, 1), "group", Attribute.of(2)), s(1, 4, 5, 5), s(4, 3, 3, 3)))
                    .isEqualTo(s(1, 6, 12, 12));
            assertThat(shape("ConvTranspose", attrs("auto_pad", Attribute.of("SAME_UPPER"), "strides",
                    Attribute.ints(2, 2)), s(1, 4, 5, 5), s(4, 3, 3, 3))).isEqualTo(s(1, 3, 10, 10));
            assertThat(shape("ConvTranspose", attrs("output_shape", Attribute.ints(9, 9), "strides",
                    Attribute.ints(2, 2)), s(1, 4, 4, 4), s(4, 3, 3, 3))).isEqualTo(s(1, 3, 9, 9));
            assertFails("ConvTranspose", attrs("output_padding", Attribute.ints(2, 2)), "'output_padding' = [2, 2]",
                    s(1, 4, 5, 5), s(4, 3, 3, 3));
        }
    }

    @Nested
    class Pooling {
        @Test
        void maxPoolWithPadsAndCeilMode() {
            assertThat(shape("MaxPool", pool(3, 2, 1), s(1, 64, 112, 112))).isEqualTo(s(1, 64, 56, 56));
            // floor((147 - 3) / 2) + 1 = 73; ceil((10 - 3) / 2) + 1 = 5 versus floor: 4
            assertThat(shape("MaxPool", pool(3, 2, 0), s(1, 64, 147, 147))).isEqualTo(s(1, 64, 73, 73));
            Map<String, Attribute> ceil = pool(3, 2, 0);
            ceil.put("ceil_mode", Attribute.of(1));
            assertThat(shape("MaxPool", ceil, s(1, 1, 10, 10))).isEqualTo(s(1, 1, 5, 5));
            assertThat(shape("MaxPool", pool(3, 2, 0), s(1, 1, 10, 10))).isEqualTo(s(1, 1, 4, 4));
        }

        @Test
        void ceilModeDropsAWindowStartingInThePadding() {
            // in 4, kernel 1, stride 2, end pad 1: ceil((4 + 1 - 1) / 2) + 1 = 3 windows, but the third would start
            // at (3 - 1) * 2 = 4, past the input (4 + begin pad 0), so only 2 remain.
            Map<String, Attribute> a = attrs("kernel_shape", Attribute.ints(1), "strides", Attribute.ints(2),
                    "pads", Attribute.ints(0, 1), "ceil_mode", Attribute.of(1));
            assertThat(shape("MaxPool", a, s(1, 1, 4))).isEqualTo(s(1, 1, 2));
        }

        @Test
        void averagePoolAndGlobal() {
            Map<String, Attribute> a = pool(3, 1, 1);
            a.put("count_include_pad", Attribute.of(1));
            assertThat(shape("AveragePool", a, s(1, 192, 35, 35))).isEqualTo(s(1, 192, 35, 35));
            assertThat(shape("GlobalAveragePool", attrs(), s(1, 2048, 7, 7))).isEqualTo(s(1, 2048, 1, 1));
        }

        @Test
        void rejectsMissingKernelAndWrongLength() {
            assertFails("MaxPool", attrs(), "missing required attribute 'kernel_shape'", s(1, 1, 4, 4));
            assertFails("MaxPool", attrs("kernel_shape", Attribute.ints(2)), "'kernel_shape' = [2] has 1 values",
                    s(1, 1, 4, 4));
            assertFails("AveragePool", attrs("kernel_shape", Attribute.ints(2, 2), "ceil_mode", Attribute.of(2)),
                    "attribute 'ceil_mode' = 2 is out of range [0, 1]", s(1, 1, 4, 4));
        }
    }

    @Nested
    class Matrices {
        @Test
        void gemmWithTranspositionAndBias() {
            assertThat(shape("Gemm", attrs("transB", Attribute.of(1)), s(1, 2048), s(1000, 2048), s(1000)))
                    .isEqualTo(s(1, 1000));
            assertThat(shape("Gemm", attrs("transA", Attribute.of(1)), s(5, 3), s(5, 7), s(3, 1))).isEqualTo(s(3, 7));
            assertFails("Gemm", attrs(), "inner dimensions differ: A [1, 2048] has K = 2048 but B [1000, 2048] has K = 1000",
                    s(1, 2048), s(1000, 2048));
            assertFails("Gemm", attrs(), "bias C [4] does not broadcast to the output shape [2, 3]", s(2, 5), s(5, 3),
                    s(4));
        }

        @Test
        void matMulBatchedAndBroadcast() {
            assertThat(shape("MatMul", attrs(), s(1, 12, 128, 64), s(1, 12, 64, 128))).isEqualTo(s(1, 12, 128, 128));
            assertThat(shape("MatMul", attrs(), s(1, 128, 768), s(768, 3072))).isEqualTo(s(1, 128, 3072));
            assertThat(shape("MatMul", attrs(), s(4, 1, 2, 3), s(5, 3, 6))).isEqualTo(s(4, 5, 2, 6));
        }

        @Test
        void matMulVectors() {
            assertThat(shape("MatMul", attrs(), s(3), s(3, 4))).isEqualTo(s(4));
            assertThat(shape("MatMul", attrs(), s(2, 5, 3), s(3))).isEqualTo(s(2, 5));
            assertThat(shape("MatMul", attrs(), s(3), s(3))).isEqualTo(s());
        }

        @Test
        void matMulRejectsMismatches() {
            assertFails("MatMul", attrs(), "inner dimensions differ", s(2, 3), s(4, 5));
            assertFails("MatMul", attrs(), "batch dimensions of A [2, 2, 3] and B [3, 3, 4] do not broadcast",
                    s(2, 2, 3), s(3, 3, 4));
        }
    }

    @Nested
    class Elementwise {
        @Test
        void unaryOpsKeepTheShape() {
            for (String op : List.of("Relu", "Sigmoid", "HardSwish", "Tanh", "Erf", "Sqrt", "LeakyRelu", "HardSigmoid",
                    "Gelu", "Clip")) {
                assertThat(shape(op, attrs(), s(1, 3, 5))).as(op).isEqualTo(s(1, 3, 5));
            }
            assertThat(shape("Clip", attrs("min", Attribute.of(0.0), "max", Attribute.of(6.0)), s(2))).isEqualTo(s(2));
            assertThat(shape("Gelu", attrs("approximate", Attribute.of("tanh")), s(2))).isEqualTo(s(2));
        }

        @Test
        void unaryOpsCheckTheirAttributes() {
            assertFails("Clip", attrs("min", Attribute.of(6.0), "max", Attribute.of(0.0)),
                    "attribute 'min' = 6.0 must not exceed attribute 'max' = 0.0", s(2));
            assertFails("LeakyRelu", attrs("alpha", Attribute.of(Double.NaN)), "attribute 'alpha' = NaN must be finite",
                    s(2));
            assertFails("LeakyRelu", attrs("alpha", Attribute.of(1)), "attribute 'alpha' must be a float, got int 1",
                    s(2));
            assertFails("Gelu", attrs("approximate", Attribute.of("fast")), "\"fast\" is not supported", s(2));
        }

        @Test
        void identityKeepsTheTypeAndCastChangesTheDtype() {
            assertThat(ShapeInference.infer("m", node("Identity", attrs(), 1), List.of(new TensorType(s(2, 3),
                    DType.INT8)))).containsExactly(new TensorType(s(2, 3), DType.INT8));
            assertThat(ShapeInference.infer("m", node("Cast", attrs("to", Attribute.of(7)), 1), types(s(2, 3))))
                    .containsExactly(new TensorType(s(2, 3), DType.INT64));
            assertThat(ShapeInference.infer("m", node("Cast", attrs("to", Attribute.of(5)), 1), types(s(4))))
                    .as("int16 widens to int32").containsExactly(new TensorType(s(4), DType.INT32));
            assertFails("Cast", attrs("to", Attribute.of(11)), "attribute 'to' = 11 is not a supported element type",
                    s(2));
            assertFails("Cast", attrs("to", Attribute.of((1L << 32) + 1)),
                    "attribute 'to' = 4294967297 is not a supported element type", s(2));
            assertFails("Cast", attrs(), "missing required attribute 'to'", s(2));
        }

        @Test
        void numpyBroadcasting() {
            for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow")) {
                assertThat(shape(op, attrs(), s(8, 1, 6, 1), s(7, 1, 5))).as(op).isEqualTo(s(8, 7, 6, 5));
            }
            assertThat(shape("Add", attrs(), s(1, 128, 768), s(768))).isEqualTo(s(1, 128, 768));
            assertThat(shape("Mul", attrs(), s(), s(2, 3))).isEqualTo(s(2, 3));
            assertThat(shape("Max", attrs(), s(3, 1), s(1, 4), s(4))).isEqualTo(s(3, 4));
            assertThat(shape("Min", attrs(), s(2, 2))).isEqualTo(s(2, 2));
            assertFails("Add", attrs(), "cannot broadcast shapes [2, 3] and [4]", s(2, 3), s(4));
        }

        @Test
        void dtypesMustAgreeExceptForPowsExponent() {
            assertThatThrownBy(() -> ShapeInference.infer("m", node("Add", attrs(), 2),
                    List.of(new TensorType(s(2), DType.FLOAT32), new TensorType(s(2), DType.INT64))))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessage("model 'm': node 'n' (Add): dtype mismatch: input 0 ('in0') is float32 but input 1"
                            + " ('in1') is int64");
            assertThat(ShapeInference.infer("m", node("Pow", attrs(), 2), List.of(new TensorType(s(2), DType.FLOAT32),
                    new TensorType(s(), DType.INT32)))).containsExactly(new TensorType(s(2), DType.FLOAT32));
        }
    }

    @Nested
    class Normalization {
        @Test
        void batchNormalization() {
            assertThat(shape("BatchNormalization", attrs("epsilon", Attribute.of(1e-5)), s(1, 64, 56, 56), s(64), s(64),
                    s(64), s(64))).isEqualTo(s(1, 64, 56, 56));
            assertFails("BatchNormalization", attrs(), "var input 4 ('in4') has shape [32], expected [64]",
                    s(1, 64, 56, 56), s(64), s(64), s(64), s(32));
            assertFails("BatchNormalization", attrs("epsilon", Attribute.of(0.0)),
                    "attribute 'epsilon' = 0.0 must be positive", s(1, 2), s(2), s(2), s(2), s(2));
            assertFails("BatchNormalization", attrs("training_mode", Attribute.of(1)),
                    "attribute 'training_mode' = 1 is out of range [0, 0]", s(1, 2), s(2), s(2), s(2), s(2));
        }

        @Test
        void layerNormalizationOverTrailingAxes() {
            assertThat(shape("LayerNormalization", attrs(), s(1, 128, 768), s(768), s(768))).isEqualTo(s(1, 128, 768));
            assertThat(shape("LayerNormalization", attrs("axis", Attribute.of(1)), s(2, 3, 4), s(3, 4)))
                    .isEqualTo(s(2, 3, 4));
            assertFails("LayerNormalization", attrs("axis", Attribute.of(1)), "scale input 1 ('in1') has shape [4],"
                    + " expected [3, 4]", s(2, 3, 4), s(4));
            assertFails("LayerNormalization", attrs("axis", Attribute.of(3)), "attribute 'axis' = 3 is out of range"
                    + " [-3, 2]", s(2, 3, 4), s(4));
        }

        @Test
        void softmaxAndReduceMean() {
            assertThat(shape("Softmax", attrs(), s(1, 12, 128, 128))).isEqualTo(s(1, 12, 128, 128));
            assertFails("Softmax", attrs("axis", Attribute.of(-5)), "'axis' = -5 is out of range [-4, 3]",
                    s(1, 12, 128, 128));
            assertThat(shape("ReduceMean", attrs("axes", Attribute.ints(2, 3)), s(1, 64, 7, 7))).isEqualTo(s(1, 64, 1, 1));
            assertThat(shape("ReduceMean", attrs("axes", Attribute.ints(-1), "keepdims", Attribute.of(0)), s(2, 3, 4)))
                    .isEqualTo(s(2, 3));
            assertThat(shape("ReduceMean", attrs("keepdims", Attribute.of(0)), s(2, 3, 4))).isEqualTo(s());
            assertThat(shape("ReduceMean", attrs("noop_with_empty_axes", Attribute.of(1)), s(2, 3))).isEqualTo(s(2, 3));
            assertFails("ReduceMean", attrs("axes", Attribute.ints(1, -2)), "names an axis twice", s(2, 3, 4));
        }
    }

    @Nested
    class DataMovement {
        @Test
        void concat() {
            assertThat(shape("Concat", attrs("axis", Attribute.of(1)), s(1, 64, 35, 35), s(1, 64, 35, 35),
                    s(1, 96, 35, 35), s(1, 32, 35, 35))).isEqualTo(s(1, 256, 35, 35));
            assertThat(shape("Concat", attrs("axis", Attribute.of(-1)), s(2, 3), s(2, 5))).isEqualTo(s(2, 8));
            assertFails("Concat", attrs("axis", Attribute.of(1)), "input 1 ('in1') has shape [1, 8, 5, 5], which"
                    + " differs from [1, 4, 4, 4] outside axis 1", s(1, 4, 4, 4), s(1, 8, 5, 5));
            assertFails("Concat", attrs(), "missing required attribute 'axis'", s(1, 4));
        }

        @Test
        void reshapeWithZeroAndMinusOne() {
            assertThat(shape("Reshape", attrs("shape", Attribute.ints(0, 0, 12, 64)), s(1, 128, 768)))
                    .isEqualTo(s(1, 128, 12, 64));
            assertThat(shape("Reshape", attrs("shape", Attribute.ints(-1, 768)), s(1, 128, 768))).isEqualTo(s(128, 768));
            assertThat(shape("Reshape", attrs("shape", Attribute.ints(0, -1)), s(2, 3, 4))).isEqualTo(s(2, 12));
            assertFails("Reshape", attrs("shape", Attribute.ints(-1, -1)), "has more than one -1", s(2, 3));
            assertFails("Reshape", attrs("shape", Attribute.ints(4, 2)), "cannot reshape [2, 3] (6 elements) to [4, 2]"
                    + " (8 elements)", s(2, 3));
            assertFails("Reshape", attrs("shape", Attribute.ints(-1, 4)), "cannot reshape [2, 3] (6 elements) to [-1, 4]",
                    s(2, 3));
            assertFails("Reshape", attrs("shape", Attribute.ints(0, 0, 0)), "copies axis 2 (0) but the input [2, 3]"
                    + " has rank 2", s(2, 3));
            assertFails("Reshape", attrs("shape", Attribute.ints(-2, 3)), "has the invalid size -2", s(2, 3));
        }

        @Test
        void flattenTransposeSqueezeUnsqueeze() {
            assertThat(shape("Flatten", attrs(), s(1, 2048, 1, 1))).isEqualTo(s(1, 2048));
            assertThat(shape("Flatten", attrs("axis", Attribute.of(0)), s(2, 3, 4))).isEqualTo(s(1, 24));
            assertThat(shape("Flatten", attrs("axis", Attribute.of(-1)), s(2, 3, 4))).isEqualTo(s(6, 4));
            assertThat(shape("Transpose", attrs("perm", Attribute.ints(0, 2, 1, 3)), s(1, 128, 12, 64)))
                    .isEqualTo(s(1, 12, 128, 64));
            assertThat(shape("Transpose", attrs(), s(2, 3, 4))).isEqualTo(s(4, 3, 2));
            assertFails("Transpose", attrs("perm", Attribute.ints(0, 0, 1)), "'perm' = [0, 0, 1] is not a permutation",
                    s(2, 3, 4));
            assertThat(shape("Squeeze", attrs("axes", Attribute.ints(2, 3)), s(1, 64, 1, 1))).isEqualTo(s(1, 64));
            assertThat(shape("Squeeze", attrs(), s(1, 64, 1, 1))).isEqualTo(s(64));
            assertFails("Squeeze", attrs("axes", Attribute.ints(1)), "names axis 1 of shape [1, 64], which is not a"
                    + " distinct size-1 axis", s(1, 64));
            assertThat(shape("Unsqueeze", attrs("axes", Attribute.ints(0, 3)), s(3, 4))).isEqualTo(s(1, 3, 4, 1));
            assertThat(shape("Unsqueeze", attrs("axes", Attribute.ints(-1)), s(3, 4))).isEqualTo(s(3, 4, 1));
            assertFails("Unsqueeze", attrs(), "missing required attribute 'axes'", s(3));
        }

        @Test
        void sliceClampsAndSteps() {
            assertThat(shape("Slice", attrs("starts", Attribute.ints(0), "ends", Attribute.ints(1), "axes",
                    Attribute.ints(1)), s(1, 128, 768))).isEqualTo(s(1, 1, 768));
            // ends past the axis clamp to it; negative starts count from the end
            assertThat(shape("Slice", attrs("starts", Attribute.ints(-3, 1), "ends", Attribute.ints(Long.MAX_VALUE, 10)),
                    s(10, 20))).isEqualTo(s(3, 9));
            // steps: [1:10:3] of 10 is 1, 4, 7 -> 3; [-1::-2] of 5 reversed is 4, 2, 0 -> 3
            assertThat(shape("Slice", attrs("starts", Attribute.ints(1, -1), "ends", Attribute.ints(10, Long.MIN_VALUE),
                    "steps", Attribute.ints(3, -2)), s(10, 5))).isEqualTo(s(3, 3));
            assertFails("Slice", attrs("starts", Attribute.ints(5), "ends", Attribute.ints(2)),
                    "slice [5:2:1] of axis 0 (size 10) selects no elements", s(10));
            assertFails("Slice", attrs("starts", Attribute.ints(0), "ends", Attribute.ints(2), "steps",
                    Attribute.ints(0)), "attribute 'steps' = [0] contains 0", s(10));
            assertFails("Slice", attrs("starts", Attribute.ints(0, 0), "ends", Attribute.ints(2)),
                    "differ in length", s(10, 10));
        }

        @Test
        void splitEvenAndExplicit() {
            Node even = new Node("n", "Split", List.of("in0"), List.of("a", "b", "c"), attrs("axis", Attribute.of(-1)));
            assertThat(ShapeInference.infer("m", even, List.of(new TensorType(s(1, 128, 2304), DType.FLOAT32))))
                    .extracting(TensorType::shape).containsExactly(s(1, 128, 768), s(1, 128, 768), s(1, 128, 768));
            Node uneven = new Node("n", "Split", List.of("in0"), List.of("a", "b", "c"), attrs());
            assertThat(ShapeInference.infer("m", uneven, List.of(new TensorType(s(7), DType.FLOAT32))))
                    .extracting(TensorType::shape).containsExactly(s(3), s(3), s(1));
            Node explicit = new Node("n", "Split", List.of("in0"), List.of("a", "b"),
                    attrs("axis", Attribute.of(1), "split", Attribute.ints(2, 6)));
            assertThat(ShapeInference.infer("m", explicit, List.of(new TensorType(s(1, 8), DType.FLOAT32))))
                    .extracting(TensorType::shape).containsExactly(s(1, 2), s(1, 6));
            Node wrong = new Node("n", "Split", List.of("in0"), List.of("a", "b"), attrs("split", Attribute.ints(2, 5)));
            assertThatThrownBy(() -> ShapeInference.infer("m", wrong, List.of(new TensorType(s(8), DType.FLOAT32))))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("attribute 'split' = [2, 5] must have 2 values (one per output) adding up to 8");
        }

        @Test
        void pad() {
            assertThat(shape("Pad", attrs("pads", Attribute.ints(0, 0, 1, 2, 0, 0, 3, 4)), s(1, 3, 10, 10)))
                    .isEqualTo(s(1, 3, 14, 16));
            assertThat(shape("Pad", attrs("pads", Attribute.ints(-1, 2), "mode", Attribute.of("reflect")), s(5)))
                    .isEqualTo(s(6));
            assertFails("Pad", attrs("pads", Attribute.ints(1, 1)), "'pads' = [1, 1] has 2 values, expected 4", s(2, 2));
            assertFails("Pad", attrs("pads", Attribute.ints(-3, 0)), "is invalid for axis 0 of size 2", s(2));
        }

        @Test
        void gatherForEmbeddings() {
            List<TensorType> out = ShapeInference.infer("m", node("Gather", attrs(), 2), List.of(
                    new TensorType(s(30522, 768), DType.FLOAT32), new TensorType(s(1, 128), DType.INT64)));
            assertThat(out).containsExactly(new TensorType(s(1, 128, 768), DType.FLOAT32));
            List<TensorType> axis1 = ShapeInference.infer("m", node("Gather", attrs("axis", Attribute.of(1)), 2),
                    List.of(new TensorType(s(2, 5, 3), DType.FLOAT32), new TensorType(s(4), DType.INT32)));
            assertThat(axis1).containsExactly(new TensorType(s(2, 4, 3), DType.FLOAT32));
            assertFails("Gather", attrs(), "indices 'in1' are float32, expected int64 or int32", s(10, 4), s(3));
        }

        @Test
        void resizeByScalesOrSizes() {
            assertThat(shape("Resize", attrs("scales", new Attribute.Floats(List.of(1.0, 1.0, 2.0, 2.0)), "mode",
                    Attribute.of("nearest")), s(1, 256, 13, 13))).isEqualTo(s(1, 256, 26, 26));
            assertThat(shape("Resize", attrs("scales", new Attribute.Floats(List.of(1.0, 1.0, 0.5, 0.5))),
                    s(1, 3, 15, 15))).isEqualTo(s(1, 3, 7, 7));
            assertThat(shape("Resize", attrs("sizes", Attribute.ints(1, 3, 64, 48), "mode", Attribute.of("linear")),
                    s(1, 3, 32, 32))).isEqualTo(s(1, 3, 64, 48));
            assertFails("Resize", attrs(), "exactly one of the attributes 'scales' and 'sizes' must be given", s(1, 3));
            assertFails("Resize", attrs("scales", new Attribute.Floats(List.of(2.0))), "has 1 values, expected 2",
                    s(1, 3));
            assertFails("Resize", attrs("scales", new Attribute.Floats(List.of(1.0, -2.0))), "must be positive",
                    s(1, 3));
        }
    }

    @Nested
    class CommonChecks {
        @Test
        void unknownOpListsTheSupportedOnes() {
            assertFails("Conv2D", attrs(), "unknown op type 'Conv2D'; supported: Add, AveragePool", s(1));
        }

        @Test
        void unknownAttributeListsTheAcceptedOnes() {
            assertFails("Softmax", attrs("axes", Attribute.of(1)), "unknown attribute 'axes'; Softmax accepts axis",
                    s(2, 3));
            assertFails("Relu", attrs("alpha", Attribute.of(0.1)), "unknown attribute 'alpha'; Relu accepts none", s(2));
        }

        @Test
        void inputAndOutputCounts() {
            assertFails("Add", attrs(), "has 1 inputs, expected 2", s(2));
            assertFails("Conv", attrs(), "has 1 inputs, expected between 2 and 3", s(1, 1, 2, 2));
            Node twoOut = new Node("n", "Relu", List.of("in0"), List.of("a", "b"), Map.of());
            assertThatThrownBy(() -> ShapeInference.infer("m", twoOut, List.of(new TensorType(s(2), DType.FLOAT32))))
                    .isInstanceOf(InvalidModelException.class).hasMessage("model 'm': node 'n' (Relu): has 2 outputs,"
                            + " expected 1");
        }

        @Test
        void absentOptionalInputIsSkippedButARequiredOneIsNot() {
            List<TensorType> types = new ArrayList<>(List.of(new TensorType(s(1, 3, 4, 4), DType.FLOAT32),
                    new TensorType(s(2, 3, 3, 3), DType.FLOAT32)));
            types.add(null);
            assertThat(ShapeInference.infer("m", node("Conv", attrs(), 3), types))
                    .containsExactly(new TensorType(s(1, 2, 2, 2), DType.FLOAT32));
            List<TensorType> missing = new ArrayList<>();
            missing.add(null);
            missing.add(new TensorType(s(2), DType.FLOAT32));
            assertThatThrownBy(() -> ShapeInference.infer("m", node("Add", attrs(), 2), missing))
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("required input 0 is missing");
        }

        @Test
        void theRegistryListsTheSupportedOpsSorted() {
            assertThat(OpRegistry.supportedOps()).containsExactly("Add", "AveragePool", "BatchNormalization", "Cast",
                    "Clip", "Concat", "Conv", "ConvTranspose", "Div", "Erf", "Flatten", "Gather", "Gelu", "Gemm",
                    "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity", "LayerNormalization", "LeakyRelu",
                    "MatMul", "Max",
                    "MaxPool", "Min", "Mul", "Pad", "Pow", "ReduceMean", "Relu", "Reshape", "Resize", "Sigmoid",
                    "Slice", "Softmax", "Split", "Sqrt", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze");
            assertThat(OpRegistry.attributeNames("Conv"))
                    .containsExactly("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
            assertThat(OpRegistry.isSupported("Dropout")).isFalse();
        }
    }

    static List<Long> s(long... dims) {
        return Arrays.stream(dims).boxed().toList();
    }

    static Map<String, Attribute> attrs(Object... pairs) {
        Map<String, Attribute> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Attribute) pairs[i + 1]);
        }
        return m;
    }

    private static Map<String, Attribute> pool(long k, long stride, long pad) {
        return attrs("kernel_shape", Attribute.ints(k, k), "strides", Attribute.ints(stride, stride), "pads",
                Attribute.ints(pad, pad, pad, pad));
    }

    private static Node node(String op, Map<String, Attribute> attributes, int inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            names.add("in" + i);
        }
        return new Node("n", op, names, List.of("out"), attributes);
    }

    @SafeVarargs
    private static List<TensorType> types(List<Long>... shapes) {
        List<TensorType> types = new ArrayList<>();
        for (List<Long> shape : shapes) {
            types.add(new TensorType(shape, DType.FLOAT32));
        }
        return types;
    }

    @SafeVarargs
    private static List<Long> shape(String op, Map<String, Attribute> attributes, List<Long>... inputs) {
        List<TensorType> out = ShapeInference.infer("m", node(op, attributes, inputs.length), types(inputs));
        assertThat(out).hasSize(1);
        return out.get(0).shape();
    }

    @SafeVarargs
    private static void assertFails(String op, Map<String, Attribute> attributes, String message,
            List<Long>... inputs) {
        assertThatThrownBy(() -> ShapeInference.infer("m", node(op, attributes, inputs.length), types(inputs)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("model 'm': node 'n' (" + op + "): ")
                .hasMessageContaining(message);
    }
}
