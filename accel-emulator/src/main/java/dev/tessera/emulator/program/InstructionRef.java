package dev.tessera.emulator.program;

/** The {@code index}-th instruction (from 0) of an engine's stream; text form {@code tensor:3}. */
public record InstructionRef(Engine engine, int index) {
    public InstructionRef {
        if (index < 0) {
            throw new InvalidProgramException("instruction index must be >= 0, got " + index);
        }
    }

    public static InstructionRef parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || !text.substring(colon + 1).matches("0|[1-9][0-9]{0,8}")) {
            throw new InvalidProgramException("bad instruction reference '" + text + "'; expected <engine>:<index>");
        }
        return new InstructionRef(Engine.parse(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
    }

    public String text() {
        return engine.text() + ":" + index;
    }

    @Override
    public String toString() {
        return text();
    }
}
