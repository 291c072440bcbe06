package io.dap.portal.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How times and durations read to people, the same on pages and in mails. */
public final class Times {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** "2026-11-25 14:30 UTC"; empty for no time. */
    public static String utc(Instant instant) {
        return instant == null ? "" : MINUTES.format(instant);
    }

    /** "48 hours", "1 hour", "30 minutes", "7 days": how long something lasts. */
    public static String describe(Duration duration) {
        long days = duration.toDays();
        if (days > 2 && duration.toHoursPart() == 0 && duration.toMinutesPart() == 0) {
            return days + " days";
        }
        long hours = duration.toHours();
        if (hours > 0 && duration.toMinutesPart() == 0) {
            return hours == 1 ? "1 hour" : hours + " hours";
        }
        long minutes = duration.toMinutes();
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
