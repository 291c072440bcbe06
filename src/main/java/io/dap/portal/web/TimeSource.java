package io.dap.portal.web;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

/** The one source of "now"; tests replace it (QuarkusMock) with a fixed or moving clock. */
@ApplicationScoped
public class TimeSource {

    private final Clock clock;

    public TimeSource() {
        this(Clock.systemUTC());
    }

    public TimeSource(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** Microseconds: what the database keeps, so a value read back compares equal to the one written. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
