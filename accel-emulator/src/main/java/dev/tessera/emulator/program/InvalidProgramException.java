package dev.tessera.emulator.program;

/**
 * A machine program that is malformed: text that does not parse (the message starts with the line),
 * a name used twice or never declared, an instruction on an engine that cannot run it. Checks that
 * need the hardware profile (bounds against capacity, partition rules, tile limits) and the order of
 * execution (races, reads of unwritten memory) are the emulator's and fail as
 * {@code MachineCheckException}.
 */
public final class InvalidProgramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidProgramException(String message) {
        super(message);
    }
}
