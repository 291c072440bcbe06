package io.dap.portal.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** How times and durations read to people, the same on pages and in mails. */
public final class Times {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A calendar day as forms send it: four-digit year, no sign, nothing around it. */
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private Times() {
    }

    /**
     * A day typed in a form or sent to the API (2026-12-31). ISO parsing alone also takes
     * {@code +999999999-12-31}, a day that no later arithmetic or database column survives.
     */
    public static Optional<LocalDate> parseDay(String raw) {
        String value = raw == null ? "" : raw.strip();
        if (!DAY.matcher(value).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
