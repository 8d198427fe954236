package dev.tessera.operators.lowering;

import dev.tessera.emulator.StorageDtype;
import java.util.Objects;

/**
 * Options of {@link Lowering#lower}.
 *
 * @param dtype  the storage type of every floating-point tensor (PSUM accumulates in fp32)
 * @param verify whether the {@link LoopVerifier} runs after lowering (tests and the CLI keep it on)
 */
public record LoweringOptions(StorageDtype dtype, boolean verify) {
    public static final LoweringOptions DEFAULTS = new LoweringOptions(StorageDtype.FP32, true);

    public LoweringOptions {
        Objects.requireNonNull(dtype, "dtype");
    }

    public LoweringOptions withDtype(StorageDtype d) {
        return new LoweringOptions(d, verify);
    }

    public LoweringOptions withVerify(boolean v) {
        return new LoweringOptions(dtype, v);
    }
}
