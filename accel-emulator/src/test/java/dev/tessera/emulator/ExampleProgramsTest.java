package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.INF2;
import static dev.tessera.emulator.Programs.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.emulator.ExecutionReport.Direction;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.MachineProgram;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example programs, checked numerically against plain Java and against times and byte counts
 * derived by hand from the inferentia2 profile: DMA 60 cycles at 1.4 GHz + bytes / (27 GiB/s);
 * matmul max(N, 64) × 4 (fp32) cycles at 2.8 GHz; vector 60 + elements per partition cycles at
 * 1.12 GHz; scalar the same at 1.4 GHz.
 */
class ExampleProgramsTest {
    private static final double DMA_FIXED = 60 / 1.4;
    private static final double DMA_BYTES_PER_NS = 27.0 * 1024 * 1024 * 1024 / 1e9;

    private static double dma(long bytes) {
        return DMA_FIXED + bytes / DMA_BYTES_PER_NS;
    }

    private static double busy(ExecutionReport r, Engine e) {
        return r.engines().stream().filter(u -> u.engine().equals(e)).findFirst().orElseThrow().busyNs();
    }

    private static long dmaBytes(ExecutionReport r, Direction d) {
        return r.dma().get(d.ordinal()).bytes();
    }

    @Test
    void tiledMatmulOverTwoPsumBanks() {
        MachineProgram p = example("tiled_matmul");
        Map<String, float[]> data = Emulator.seededData(p, 42);
        ExecutionReport r = Emulator.run(p, INF2, Emulator.Options.functional(data));
        float[] at = data.get("a_t");
        float[] b = data.get("b");
        float[] c = r.outputs().get("c");
        for (int m = 0; m < 128; m++) {
            for (int n = 0; n < 1024; n++) {
                float acc = 0f;
                for (int k = 0; k < 256; k++) {
                    acc += at[k * 128 + m] * b[k * 1024 + n];
                }
                assertThat(c[m * 1024 + n]).isEqualTo(acc);
            }
        }
        // By hand: the b loads (512 KiB each, parallel queues) gate the tensor engine; 4 fp32
        // matmuls of N = 512 follow back to back (2048 cycles at 2.8 GHz each); the first eviction
        // hides under the last matmul, the second (60 + 512 cycles at 1.4 GHz) does not; then the
        // 512 KiB store.
        double loadB = dma(128 * 1024 * 4);
        double matmul = 2048 / 2.8;
        double evict = 572 / 1.4;
        assertThat(r.totalNs()).isCloseTo(loadB + 4 * matmul + evict + dma(128 * 1024 * 4), within(1e-6));
        assertThat(r.totalCycles()).isCloseTo(r.totalNs() * 1.4, within(1e-6));
        assertThat(busy(r, Engine.TENSOR)).isCloseTo(4 * matmul, within(1e-6));
        assertThat(busy(r, Engine.SCALAR)).isCloseTo(2 * evict, within(1e-6));
        assertThat(busy(r, Engine.dma(0))).isCloseTo(dma(128 * 128 * 4), within(1e-6));
        assertThat(dmaBytes(r, Direction.DRAM_TO_SBUF)).isEqualTo(2 * 65536 + 2 * 524288);
        assertThat(dmaBytes(r, Direction.SBUF_TO_DRAM)).isEqualTo(524288);
        assertThat(r.offChipCopies()).isEqualTo(new ExecutionReport.Traffic(5, 2 * 65536 + 3 * 524288));
        assertThat(r.psumEvictions()).isEqualTo(new ExecutionReport.Traffic(2, 2 * 262144));
        assertThat(r.onChipCopies()).isEqualTo(new ExecutionReport.Traffic(0, 0));
        assertThat(r.macs()).isEqualTo(4L * 128 * 128 * 512);
        // a_t and b tiles are live together before the first eviction; both PSUM banks are live together.
        assertThat(r.sbuf().peakBytes()).isEqualTo(2 * 65536 + 2 * 524288);
        assertThat(r.psum().peakBytes()).isEqualTo(2 * 128 * 2048);
        assertThat(r.sbuf().capacityBytes()).isEqualTo(24L << 20);
    }

    @Test
    void convolutionAsMatmulsOverShiftedWindows() {
        MachineProgram p = example("conv3x3");
        Map<String, float[]> data = Emulator.seededData(p, 7);
        ExecutionReport r = Emulator.run(p, INF2, Emulator.Options.functional(data));
        float[] x = data.get("x");
        float[] w = data.get("w");
        float[] y = r.outputs().get("y");
        for (int co = 0; co < 32; co++) {
            for (int oh = 0; oh < 8; oh++) {
                for (int ow = 0; ow < 8; ow++) {
                    float acc = 0f;
                    for (int tap = 0; tap < 9; tap++) {
                        for (int ci = 0; ci < 16; ci++) {
                            acc += w[(ci * 9 + tap) * 32 + co] * x[ci * 100 + (oh + tap / 3) * 10 + ow + tap % 3];
                        }
                    }
                    assertThat(y[(co * 8 + oh) * 8 + ow]).isEqualTo(Math.max(acc, 0f));
                }
            }
        }
        // The weight load (18 KiB) is the longer one; 9 matmuls of N = 64 cost 64 x 4 cycles each.
        double matmul = 256 / 2.8;
        double total = dma(16 * 288 * 4) + 9 * matmul + (60 + 64) / 1.4 + dma(32 * 64 * 4);
        assertThat(r.totalNs()).isCloseTo(total, within(1e-6));
        assertThat(r.macs()).isEqualTo(9L * 16 * 32 * 64);
        assertThat(r.psumEvictions()).isEqualTo(new ExecutionReport.Traffic(1, 32 * 64 * 4));
        assertThat(dmaBytes(r, Direction.DRAM_TO_SBUF)).isEqualTo((16 * 100 + 16 * 288) * 4);
    }

    @Test
    void maxAndAveragePooling() {
        MachineProgram p = example("pooling");
        Map<String, float[]> data = Emulator.seededData(p, 3);
        ExecutionReport r = Emulator.run(p, INF2, Emulator.Options.functional(data));
        float[] x = data.get("x");
        float[] ymax = r.outputs().get("ymax");
        float[] yavg = r.outputs().get("yavg");
        for (int c = 0; c < 64; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int di = 0; di < 3; di++) {
                        for (int dj = 0; dj < 3; dj++) {
                            m = Math.max(m, x[c * 64 + (2 * i + di) * 8 + 2 * j + dj]);
                        }
                    }
                    assertThat(ymax[c * 9 + i * 3 + j]).isEqualTo(m);
                }
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    float s = 0f;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            s += x[c * 64 + (2 * i + di) * 8 + 2 * j + dj];
                        }
                    }
                    assertThat(yavg[c * 16 + i * 4 + j]).isEqualTo(s / 4);
                }
            }
        }
        // Vector: 60 + 81 and 60 + 64 cycles at 1.12 GHz; the two stores run one after the other on dma1.
        double vector = (60 + 81) / 1.12 + (60 + 64) / 1.12;
        assertThat(busy(r, Engine.VECTOR)).isCloseTo(vector, within(1e-6));
        assertThat(r.totalNs()).isCloseTo(dma(64 * 64 * 4) + vector + dma(64 * 9 * 4) + dma(64 * 16 * 4), within(1e-6));
        assertThat(r.psumEvictions().instructions()).isZero();
    }

    @Test
    void softmaxRowsSumToOne() {
        MachineProgram p = example("softmax");
        Map<String, float[]> data = Emulator.seededData(p, 11);
        ExecutionReport r = Emulator.run(p, INF2, Emulator.Options.functional(data));
        float[] x = data.get("x");
        float[] y = r.outputs().get("y");
        for (int row = 0; row < 128; row++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 64; j++) {
                max = Math.max(max, x[row * 64 + j]);
            }
            float[] e = new float[64];
            float sum = 0f;
            for (int j = 0; j < 64; j++) {
                e[j] = (float) Math.exp(x[row * 64 + j] - max);
                sum += e[j];
            }
            float inv = 1f / sum;
            double total = 0;
            for (int j = 0; j < 64; j++) {
                assertThat(y[row * 64 + j]).isEqualTo(e[j] * inv);
                total += y[row * 64 + j];
            }
            assertThat(total).isCloseTo(1.0, within(1e-5));
        }
        // Vector: max (60 + 64), sub (60 + 64), sum (60 + 64), reciprocal (60 + 1), mul (60 + 64)
        // cycles at 1.12 GHz; scalar exp 60 + 64 cycles at 1.4 GHz, between sub and sum.
        double vector = (4 * 124 + 61) / 1.12;
        assertThat(busy(r, Engine.VECTOR)).isCloseTo(vector, within(1e-6));
        assertThat(r.totalNs()).isCloseTo(2 * dma(128 * 64 * 4) + vector + 124 / 1.4, within(1e-6));
    }

    @Test
    void reluRunsOnBothProfilesAndTimingOnlyMatchesFunctionalTimes() {
        MachineProgram p = example("relu");
        ExecutionReport functional = Emulator.run(p, INF2, Emulator.Options.functionalSeeded(p, 1));
        ExecutionReport timing = Emulator.run(p, INF2, Emulator.Options.timingOnly());
        assertThat(timing.totalNs()).isEqualTo(functional.totalNs());
        assertThat(timing.outputs()).isEmpty();
        assertThat(timing.toJson(true)).isEqualTo(Emulator.run(p, INF2, Emulator.Options.timingOnly()).toJson(true));
        ExecutionReport v1 = Emulator.run(p, Programs.INF1, Emulator.Options.timingOnly());
        // inferentia1: 3.125 GiB/s per queue and 4 scalar elements per lane per cycle at 1 GHz.
        double dma1 = 60 / 1.0 + 262144 / (3.125 * 1024 * 1024 * 1024 / 1e9);
        assertThat(v1.totalNs()).isCloseTo(2 * dma1 + (60 + 128), within(1e-6));
        assertThat(v1.referenceClock().ghz()).isEqualTo(1.0);
        float[] x = Emulator.seededData(p, 1).get("x");
        float[] y = functional.outputs().get("y");
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).isEqualTo(Math.max(x[i], 0f));
        }
    }
}
