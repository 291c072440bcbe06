package io.dap.portal.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dap.portal.access.Role;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.Times;

/** The invite form of both sharing pages (and the JSON API's invite), checked field by field. */
public record InviteForm(String email, Role role, String label, Instant endsAt, FormErrors errors,
        Map<String, String> values) {

    /** The label column's size. */
    static final int MAX_LABEL = 100;

    public static InviteForm read(String email, String role, String label, String until, List<Role> allowed, Instant now) {
        String normalised = EmailAddress.normalise(email);
        SingleLineText typedLabel = SingleLineText.of(label, MAX_LABEL);
        String cleanLabel = typedLabel.value();
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
        typedLabel.check(errors, "label");
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
        Optional<LocalDate> day = Times.parseDay(raw);
        if (day.isEmpty()) {
            errors.add("until", "Enter a date like 2026-12-31.");
            return null;
        }
        Instant end = day.get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!end.isAfter(now)) {
            errors.add("until", "Choose today or a later date.");
            return null;
        }
        return end;
    }
}
