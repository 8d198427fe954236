package dev.tessera.emulator.program;

import java.util.List;

/** The instructions one engine runs, in order. */
public record Stream(Engine engine, List<Instruction> instructions) {
    public Stream {
        instructions = List.copyOf(instructions);
    }
}
