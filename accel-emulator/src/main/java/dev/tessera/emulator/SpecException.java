package dev.tessera.emulator;

/**
 * An accelerator profile that cannot be used: unreadable, malformed YAML, a missing field, an unknown
 * field or a number that makes no sense. The message names the profile and the field.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
