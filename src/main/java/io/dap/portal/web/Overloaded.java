package io.dap.portal.web;

/**
 * More work than the portal takes on at once (a full queue for password hashing, no database
 * connection in time): answered with 503 and Retry-After, nothing changed.
 */
public class Overloaded extends RuntimeException {

    public static final int RETRY_AFTER_SECONDS = 1;

    public Overloaded(String message) {
        super(message, null, false, false);
    }
}
