package io.bv2j.server.browser;

/** A DevTools command failed, timed out, or the page did not reach an awaited state. */
public final class CdpException extends RuntimeException {

    public CdpException(String message) {
        super(message);
    }

    public CdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
