package io.bv2j;

/**
 * A user-facing error: the message is a complete, single-line explanation of what went wrong
 * (which file, which key, what was expected), written for the person running bv2j rather than for
 * a developer reading a stack trace. The CLI prints only the message and exits with status 2, so
 * code that throws this must put everything the user needs into the message itself.
 */
public class Bv2jException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Bv2jException(String message) {
        super(message);
    }

    public Bv2jException(String message, Throwable cause) {
        super(message, cause);
    }
}
