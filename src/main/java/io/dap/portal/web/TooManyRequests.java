package io.dap.portal.web;

import java.time.Duration;

/**
 * Ends a request that went past a limit (R20): a 429 page, or a problem body on the API, with
 * {@code Retry-After}. Nothing was done before it was thrown.
 */
public class TooManyRequests extends RuntimeException {

    private final transient Duration retryAfter;

    public TooManyRequests(Duration retryAfter) {
        super("too many requests", null, false, false);
        this.retryAfter = retryAfter.isNegative() || retryAfter.isZero() ? Duration.ofSeconds(1) : retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up, as Retry-After wants them. */
    public long retryAfterSeconds() {
        return (retryAfter.toMillis() + 999) / 1000;
    }

    /** "Try again in 12 minutes." */
    public String advice() {
        long minutes = Math.max(1, (retryAfterSeconds() + 59) / 60);
        return "Try again in " + (minutes == 1 ? "a minute." : Times.describe(Duration.ofMinutes(minutes)) + ".");
    }
}
