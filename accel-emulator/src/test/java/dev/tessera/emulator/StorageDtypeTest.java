package dev.tessera.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class StorageDtypeTest {
    @Test
    void roundsToNearestTiesToEven() {
        // bf16 keeps 8 significant bits: 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
        assertThat(StorageDtype.BF16.round(1f + 0x1p-8f)).isEqualTo(1f);
        assertThat(StorageDtype.BF16.round(1f + 0x1p-7f + 0x1p-8f)).isEqualTo(1f + 0x1p-6f);
        assertThat(StorageDtype.BF16.round(1f + 0x1p-8f + 0x1p-20f)).isEqualTo(1f + 0x1p-7f);
        // fp16 keeps 11 significant bits.
        assertThat(StorageDtype.FP16.round(2049f)).isEqualTo(2048f);
        assertThat(StorageDtype.FP16.round(2051f)).isEqualTo(2052f);
        assertThat(StorageDtype.FP16.round(0.1f)).isEqualTo(0.0999755859375f);
    }

    @Test
    void overflowAndSubnormalsFollowTheFormat() {
        assertThat(StorageDtype.FP16.round(65504f)).isEqualTo(65504f);
        assertThat(StorageDtype.FP16.round(65519f)).isEqualTo(65504f);
        assertThat(StorageDtype.FP16.round(65520f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(StorageDtype.FP16.round(-1e6f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(StorageDtype.FP16.round(0x1p-24f)).isEqualTo(0x1p-24f); // smallest fp16 subnormal
        assertThat(StorageDtype.FP16.round(0x1p-26f)).isEqualTo(0f);
        assertThat(StorageDtype.BF16.round(Float.MAX_VALUE)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(StorageDtype.BF16.round(Float.NaN)).isNaN();
    }

    @Property
    void bf16RoundingMatchesTheBitLevelDefinition(@ForAll float x) {
        if (Float.isNaN(x)) {
            return;
        }
        // Reference: round-to-nearest-even on the top 16 bits of the IEEE pattern.
        int bits = Float.floatToRawIntBits(x);
        int lsb = (bits >>> 16) & 1;
        float expected = Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000);
        assertThat(StorageDtype.BF16.round(x)).isEqualTo(expected);
    }

    @Property
    void roundingIsIdempotent(@ForAll float x) {
        for (StorageDtype d : StorageDtype.values()) {
            float once = d.round(x);
            assertThat(d.round(once)).isEqualTo(once);
        }
    }

    @Test
    void parsesNamesAndSaysWhatIsAccepted() {
        assertThat(StorageDtype.parse("BF16")).isEqualTo(StorageDtype.BF16);
        assertThat(StorageDtype.FP16.bytes()).isEqualTo(2);
        assertThatThrownBy(() -> StorageDtype.parse("int8")).hasMessageContaining("fp32, bf16 or fp16");
    }
}
