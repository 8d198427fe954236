package dev.tessera.operators;

/**
 * The user's input is wrong or unsupported: an unknown op, a bad shape, a value over a configured
 * limit. It becomes a rejected compile result and a dead letter with this message, never a job
 * failure. The message names what is wrong and where (model, node, tensor), so that a user can fix
 * the model without reading the compiler.
 */
public class InvalidModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
