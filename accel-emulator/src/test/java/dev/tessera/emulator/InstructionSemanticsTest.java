package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.random;
import static dev.tessera.emulator.Programs.runOne;
import static dev.tessera.emulator.Programs.tile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.emulator.program.AccessPattern;
import dev.tessera.emulator.program.Dim;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.Instruction;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.Ops;
import dev.tessera.emulator.program.ProgramText;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each instruction's functional result against the same computation written in plain Java. */
class InstructionSemanticsTest {
    private static final int P = 8;
    private static final int F = 24;

    @Test
    void binaryOperationsWithABroadcastOperand() {
        float[] a = random(P * F, 1);
        float[] b = random(P, 2);
        for (Ops.Binary op : Ops.Binary.values()) {
            Instruction ins = new Instruction.Binary(op, tile("y_s", P, F), tile("a_s", P, F),
                    AccessPattern.onChip("b_s", 0, P, 0, Dim.of(F, 0)));
            float[] y = runOne(Engine.VECTOR, ins, P, Map.of("a", F, "b", 1), Map.of("y", F), Map.of("a", a, "b", b)).get("y");
            for (int p = 0; p < P; p++) {
                for (int f = 0; f < F; f++) {
                    float x = a[p * F + f];
                    float s = b[p];
                    float expected = op == Ops.Binary.ADD ? x + s : op == Ops.Binary.SUB ? x - s : op == Ops.Binary.MUL ? x * s
                            : op == Ops.Binary.DIV ? x / s : op == Ops.Binary.MAX ? Math.max(x, s) : Math.min(x, s);
                    assertThat(y[p * F + f]).as(op + " at %d,%d", p, f).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void unaryOperations() {
        float[] a = random(P * F, 3);
        for (Ops.Unary op : Ops.Unary.values()) {
            Instruction ins = new Instruction.Unary(op, tile("y_s", P, F), tile("a_s", P, F));
            float[] y = runOne(Engine.VECTOR, ins, P, Map.of("a", F), Map.of("y", F), Map.of("a", a)).get("y");
            for (int i = 0; i < a.length; i++) {
                float x = a[i];
                float expected = switch (op) {
                    case NEG -> -x;
                    case ABS -> Math.abs(x);
                    case RECIPROCAL -> 1f / x;
                    case SQRT -> (float) Math.sqrt(x);
                    case RSQRT -> (float) (1 / Math.sqrt(x));
                    case SQUARE -> x * x;
                };
                assertThat(Float.valueOf(y[i])).as(op.text()).isEqualTo(Float.valueOf(expected));
            }
        }
    }

    @Test
    void activationsWithScaleAndBias() {
        float[] a = random(P * F, 4);
        for (Ops.Activation fn : Ops.Activation.values()) {
            Instruction ins = new Instruction.Activation(fn, tile("y_s", P, F), tile("a_s", P, F), 0.5f, -0.25f);
            float[] y = runOne(Engine.SCALAR, ins, P, Map.of("a", F), Map.of("y", F), Map.of("a", a)).get("y");
            for (int i = 0; i < a.length; i++) {
                double x = a[i] * 0.5f - 0.25f;
                double expected = switch (fn) {
                    case IDENTITY -> x;
                    case RELU -> Math.max(x, 0);
                    case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                    case SIGMOID -> 1 / (1 + Math.exp(-x));
                    case TANH -> Math.tanh(x);
                    case EXP -> Math.exp(x);
                    case SILU -> x / (1 + Math.exp(-x));
                };
                assertThat(y[i]).as(fn.text()).isEqualTo((float) expected);
            }
        }
    }

    @Test
    void reductionsOverTheInnermostAxes() {
        float[] a = random(P * F, 5);
        for (Ops.Reduce op : Ops.Reduce.values()) {
            // F = 24 as 4 x 6: reduce the 6 innermost of each row of 4 (axes 1), and all 24 (axes 2).
            Instruction rows = new Instruction.Reduce(op, tile("y_s", P, 4), AccessPattern.onChip("a_s", 0, P, 0,
                    Dim.of(4, 6), Dim.of(6, 1)), 1);
            float[] y = runOne(Engine.VECTOR, rows, P, Map.of("a", F), Map.of("y", 4), Map.of("a", a)).get("y");
            Instruction all = new Instruction.Reduce(op, tile("z_s", P, 1), AccessPattern.onChip("a_s", 0, P, 0,
                    Dim.of(4, 6), Dim.of(6, 1)), 2);
            float[] z = runOne(Engine.VECTOR, all, P, Map.of("a", F), Map.of("z", 1), Map.of("a", a)).get("z");
            for (int p = 0; p < P; p++) {
                for (int r = 0; r < 4; r++) {
                    assertThat(y[p * 4 + r]).isEqualTo(reduce(op, a, p * F + r * 6, 6));
                }
                assertThat(z[p]).isEqualTo(reduce(op, a, p * F, F));
            }
        }
    }

    private static float reduce(Ops.Reduce op, float[] a, int from, int n) {
        float acc = op == Ops.Reduce.MAX ? Float.NEGATIVE_INFINITY : op == Ops.Reduce.MIN ? Float.POSITIVE_INFINITY : 0f;
        for (int i = from; i < from + n; i++) {
            acc = op == Ops.Reduce.MAX ? Math.max(acc, a[i]) : op == Ops.Reduce.MIN ? Math.min(acc, a[i]) : acc + a[i];
        }
        return op == Ops.Reduce.MEAN ? acc / n : acc;
    }

    @Test
    void copyWithAReversingPatternAndMemset() {
        float[] a = random(P * F, 6);
        Instruction reverse = new Instruction.Copy(tile("y_s", P, F), AccessPattern.onChip("a_s", 0, P, F - 1, Dim.of(F, -1)));
        float[] y = runOne(Engine.VECTOR, reverse, P, Map.of("a", F), Map.of("y", F), Map.of("a", a)).get("y");
        for (int p = 0; p < P; p++) {
            for (int f = 0; f < F; f++) {
                assertThat(y[p * F + f]).isEqualTo(a[p * F + F - 1 - f]);
            }
        }
        Instruction fill = new Instruction.Memset(tile("y_s", P, F), 2.5f);
        float[] filled = runOne(Engine.SCALAR, fill, P, Map.of(), Map.of("y", F), Map.of()).get("y");
        assertThat(filled).containsOnly(2.5f);
    }

    @Test
    void dmaMovesTransposesAndCopiesBetweenAllItsEndpoints() {
        // DRAM -> SBUF transposed (element (i, j) of x lands at partition j, element i), SBUF -> SBUF
        // shifted by 32 partitions, SBUF -> DRAM, and DRAM -> DRAM.
        String text = """
                program dmas
                dram x fp32 [6, 4] @0 input
                dram y fp32 [4, 6] @128 output
                dram z fp32 [6, 4] @256 output
                sbuf t fp32 [4, 6] @p0 +0 live dma0:0..dma0:1
                sbuf u fp32 [4, 6] @p32 +0 live dma0:1..dma0:2

                stream dma0
                  dma t[0:4, +0, 6@1] <- x[+0, 4@1, 6@4]
                  dma u[32:36, +0, 6@1] <- t[0:4, +0, 6@1]
                  dma y[+0, 4@6, 6@1] <- u[32:36, +0, 6@1]
                  dma z[+0, 6@4, 4@1] <- x[+0, 6@4, 4@1]
                """;
        MachineProgram program = ProgramText.parse(text);
        float[] x = random(24, 7);
        ExecutionReport r = Emulator.run(program, Programs.INF2, Emulator.Options.functional(Map.of("x", x)));
        float[] y = r.outputs().get("y");
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(y[j * 6 + i]).isEqualTo(x[i * 4 + j]);
            }
        }
        assertThat(r.outputs().get("z")).containsExactly(x);
        assertThat(r.dma()).extracting(ExecutionReport.DmaTraffic::instructions).containsExactly(1L, 1L, 1L, 1L);
        assertThat(r.offChipCopies()).isEqualTo(new ExecutionReport.Traffic(3, 3 * 96));
        assertThat(r.onChipCopies()).isEqualTo(new ExecutionReport.Traffic(1, 96));
    }

    @Test
    void storesRoundToTheDestinationDtype() {
        String text = """
                program rounding
                dram x fp32 [1, 4] @0 input
                dram y bf16 [1, 4] @64 output
                sbuf a fp32 [1, 4] @p0 +0 live dma0:0..vector:1
                sbuf b bf16 [1, 4] @p0 +16 live vector:1..dma0:3
                sem s
                sem v

                stream dma0
                  dma a[0:1, +0, 4@1] <- x[+0, 1@4, 4@1]
                  signal s
                  wait v >= 1
                  dma y[+0, 1@4, 4@1] <- b[0:1, +0, 4@1]

                stream vector
                  wait s >= 1
                  copy b[0:1, +0, 4@1] = a[0:1, +0, 4@1]
                  signal v
                """;
        float[] x = {1f + 0x1p-8f, 1f + 0x1p-7f + 0x1p-8f, 3.14159f, -1e-3f};
        float[] y = Emulator.run(ProgramText.parse(text), Programs.INF2, Emulator.Options.functional(Map.of("x", x)))
                .outputs().get("y");
        for (int i = 0; i < 4; i++) {
            assertThat(y[i]).isEqualTo(StorageDtype.BF16.round(x[i]));
        }
        assertThat(y[0]).isEqualTo(1f);
    }

    @Test
    void matmulOverwritesThenAccumulates() {
        // out = s1ᵀ·m1, then out += s2ᵀ·m2; K = 5, M = 3, N = 7.
        String text = """
                program mm
                dram s fp32 [5, 6] @0 input
                dram m fp32 [5, 14] @128 input
                dram y fp32 [3, 7] @512 output
                sbuf s_s fp32 [5, 6] @p0 +0 live dma0:0..tensor:2
                sbuf m_s fp32 [5, 14] @p0 +24 live dma0:1..tensor:2
                sbuf y_s fp32 [3, 7] @p0 +80 live scalar:1..dma0:4
                psum acc fp32 [3, 7] @p0 +0 live tensor:1..scalar:1
                sem loaded
                sem multiplied
                sem evicted

                stream dma0
                  dma s_s[0:5, +0, 6@1] <- s[+0, 5@6, 6@1]
                  dma m_s[0:5, +0, 14@1] <- m[+0, 5@14, 14@1]
                  signal loaded
                  wait evicted >= 1
                  dma y[+0, 3@7, 7@1] <- y_s[0:3, +0, 7@1]

                stream tensor
                  wait loaded >= 1
                  matmul acc[0:3, +0, 7@1] = s_s[0:5, +0, 3@1] * m_s[0:5, +0, 7@1]
                  matmul acc[0:3, +0, 7@1] += s_s[0:5, +3, 3@1] * m_s[0:5, +7, 7@1]
                  signal multiplied

                stream scalar
                  wait multiplied >= 1
                  copy y_s[0:3, +0, 7@1] = acc[0:3, +0, 7@1]
                  signal evicted
                """;
        float[] s = random(30, 8);
        float[] m = random(70, 9);
        ExecutionReport r = Emulator.run(ProgramText.parse(text), Programs.INF2,
                Emulator.Options.functional(Map.of("s", s, "m", m)));
        float[] y = r.outputs().get("y");
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 7; j++) {
                float acc = 0f;
                for (int k = 0; k < 5; k++) {
                    acc += s[k * 6 + i] * m[k * 14 + j];
                }
                for (int k = 0; k < 5; k++) {
                    acc += s[k * 6 + 3 + i] * m[k * 14 + 7 + j];
                }
                assertThat(y[i * 7 + j]).isEqualTo(acc);
            }
        }
        assertThat(r.macs()).isEqualTo(2 * 5 * 3 * 7);
        assertThat(r.psumEvictions()).isEqualTo(new ExecutionReport.Traffic(1, 84));
        assertThat(r.onChipCopies().instructions()).isZero();
    }
}
