package io.dap.portal.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.dap.portal.access.Role;
import io.dap.portal.user.EmailAddress;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.Times;

/**
 * The invite form of both sharing pages (and the JSON API's invite), checked field by field. The
 * pages take several addresses at once — an access group: one per line or separated by commas,
 * up to {@link #MAX_ADDRESSES}, all with the same role, label and end date.
 */
public record InviteForm(List<String> emails, Role role, String label, Instant endsAt, FormErrors errors,
        Map<String, String> values) {

    /** The label column's size. */
    static final int MAX_LABEL = 100;
    /** Addresses one invitation form takes at once. */
    public static final int MAX_ADDRESSES = 50;

    /** The command to invite one of the form's addresses. */
    public Invite invite(Role.Scope scope, Long infrastructureId, String email) {
        return new Invite(scope, infrastructureId, email, role, label, endsAt);
    }

    /** The one address of a single invitation (the API's). */
    public String email() {
        return emails.isEmpty() ? "" : emails.get(0);
    }

    public static InviteForm read(String email, String role, String label, String until, List<Role> allowed, Instant now) {
        String typed = email == null ? "" : email;
        List<String> addresses = Arrays.stream(typed.split("[\\s,;]+")).map(EmailAddress::normalise)
                .filter(a -> !a.isEmpty()).distinct().toList();
        SingleLineText typedLabel = SingleLineText.of(label, MAX_LABEL);
        String cleanLabel = typedLabel.value();
        String cleanUntil = until == null ? "" : until.strip();
        FormErrors errors = new FormErrors();
        if (addresses.isEmpty()) {
            errors.add("email", "Enter one or more email addresses.");
        } else if (addresses.size() > MAX_ADDRESSES) {
            errors.add("email", "Invite at most " + MAX_ADDRESSES + " addresses at once; you entered "
                    + addresses.size() + ".");
        } else {
            List<String> wrong = addresses.stream().filter(a -> EmailAddress.problem(a) != null).toList();
            if (wrong.size() == 1 && addresses.size() == 1) {
                errors.add("email", EmailAddress.problem(wrong.get(0)));
            } else if (!wrong.isEmpty()) {
                errors.add("email", "These are not email addresses: " + String.join(", ", wrong.stream()
                        .map(w -> w.length() > 60 ? w.substring(0, 60) + "…" : w).limit(10).toList())
                        + (wrong.size() > 10 ? " and " + (wrong.size() - 10) + " more" : "") + ".");
            }
        }
        Role chosen = allowed.stream().filter(r -> r.name().equals(role)).findFirst().orElse(null);
        if (chosen == null) {
            errors.add("role", "Choose a role.");
        }
        typedLabel.check(errors, "label");
        Instant endsAt = endOfDay(cleanUntil, now, errors);
        return new InviteForm(addresses, chosen, cleanLabel.isEmpty() ? null : cleanLabel, endsAt, errors,
                Map.of("email", String.join("\n", addresses), "role", role == null ? "" : role, "label", cleanLabel,
                        "until", cleanUntil));
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
