package io.dap.portal.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** Formatting shared by every page: times are shown in UTC, the zone the audit trail is kept in. */
@TemplateExtension
public class TemplateExtensions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    static String utc(Instant instant) {
        return Times.utc(instant);
    }

    static String day(Instant instant) {
        return instant == null ? "" : DAY.format(instant);
    }

    /** Machine-readable value for a time element's datetime attribute. */
    static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
