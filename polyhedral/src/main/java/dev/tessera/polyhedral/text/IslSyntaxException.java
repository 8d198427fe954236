package dev.tessera.polyhedral.text;

/** Invalid isl text, with the position (0-based character offset) where it went wrong. */
public final class IslSyntaxException extends IllegalArgumentException {
    public IslSyntaxException(String message, int position) {
        super(message + " at character " + position);
    }
}
