package io.dap.portal.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import io.dap.portal.access.Role;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.FormErrors;

/** The invite form of both sharing pages (and the JSON API's invite), checked field by field. */
public record InviteForm(String email, Role role, String label, Instant endsAt, FormErrors errors,
        Map<String, String> values) {

    public static InviteForm read(String email, String role, String label, String until, List<Role> allowed, Instant now) {
        String normalised = EmailAddress.normalise(email);
        String cleanLabel = label == null ? "" : label.strip();
        String cleanUntil = until == null ? "" : until.strip();
        FormErrors errors = new FormErrors();
        String emailProblem = EmailAddress.problem(normalised);
        if (emailProblem != null) {
            errors.add("email", emailProblem);
        }
        Role chosen = allowed.stream().filter(r -> r.name().equals(role)).findFirst().orElse(null);
        if (chosen == null) {
            errors.add("role", "Choose a role.");
        }
        if (cleanLabel.length() > 100) {
            errors.add("label", "Use at most 100 characters.");
        }
        Instant endsAt = endOfDay(cleanUntil, now, errors);
        return new InviteForm(normalised, chosen, cleanLabel.isEmpty() ? null : cleanLabel, endsAt, errors,
                Map.of("email", normalised, "role", role == null ? "" : role, "label", cleanLabel, "until",
                        cleanUntil));
    }

    /** "Access until" a date, inclusive: the grant ends at the following midnight UTC. */
    private static Instant endOfDay(String raw, Instant now, FormErrors errors) {
        if (raw.isEmpty()) {
            return null;
        }
        try {
            Instant end = LocalDate.parse(raw).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!end.isAfter(now)) {
                errors.add("until", "Choose today or a later date.");
                return null;
            }
            return end;
        } catch (DateTimeParseException e) {
            errors.add("until", "Enter a date like 2026-12-31.");
            return null;
        }
    }
}
