package dev.tessera.operators;

/**
 * A broken invariant of the compiler itself (a verifier failure, an impossible state). Unlike
 * {@link InvalidModelException} it is loud: counted, logged with the model and pass, and sent to
 * the dead-letter topic marked internal.
 */
public class InternalCompilerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InternalCompilerError(String message) {
        super(message);
    }

    public InternalCompilerError(String message, Throwable cause) {
        super(message, cause);
    }
}
