package dev.tessera.emulator.program;

/** One dimension of an access pattern: {@code count} elements, {@code stride} elements apart. Text: {@code count@stride}. */
public record Dim(int count, long stride) {
    public Dim {
        if (count < 1) {
            throw new InvalidProgramException("an access-pattern dimension needs count >= 1, got " + count);
        }
    }

    public static Dim of(int count, long stride) {
        return new Dim(count, stride);
    }

    public String text() {
        return count + "@" + stride;
    }
}
