package io.dap.portal.pages.sharing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Role;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.limit.Limits;
import io.dap.portal.sharing.InviteForm;
import io.dap.portal.sharing.GrantLifecycle;
import io.dap.portal.web.Flash;
import io.dap.portal.web.FormErrors;
import io.dap.portal.web.TooManyRequests;

/**
 * The one invitation flow of both sharing pages: one address or an access group of several, each
 * with its own grant and invitation (and its own count against the limits, R20). The answer says
 * what happened to each address in words that never tell whether it had a portal account (R8).
 */
@ApplicationScoped
public class GroupInvite {

    /** The flash message lists addresses up to about this many characters, then counts the rest. */
    static final int MESSAGE_BUDGET = 1500;

    @Inject
    GrantLifecycle lifecycle;

    @Inject
    Limits limits;

    @Inject
    Flash flash;

    /** Invites every address of a checked form and flashes the outcome for the page the caller redirects to. */
    public void invite(AccountAccess access, Role.Scope scope, Long infrastructureId, InviteForm form, String what) {
        if (form.emails().size() == 1) {
            // A single address keeps the plain answers: a field error, or a 429 page past a limit.
            String email = form.email();
            limits.check(LimitedAction.INVITE, email);
            GrantLifecycle.InviteResult result = inviteOne(access, scope, infrastructureId, form, email);
            if (result instanceof GrantLifecycle.Refused refused) {
                flash.form(new FormErrors().add(refused.field(), refused.message()), form.values());
            } else {
                flash.success("Invitation " + what + " sent to " + email + ". It stays pending until accepted.");
            }
            return;
        }
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        for (String email : form.emails()) {
            String outcome;
            try {
                limits.check(LimitedAction.INVITE, email);
                GrantLifecycle.InviteResult result = inviteOne(access, scope, infrastructureId, form, email);
                outcome = result instanceof GrantLifecycle.Refused refused ? "Not invited: " + refused.message()
                        .replace(email + " ", "").replace(email, "this address") : "Invited";
            } catch (TooManyRequests e) {
                outcome = "Not invited: too many invitations for now. " + e.advice();
            }
            outcomes.computeIfAbsent(outcome, o -> new ArrayList<>()).add(email);
        }
        int invited = outcomes.getOrDefault("Invited", List.of()).size();
        String message = summary(outcomes);
        if (invited == form.emails().size()) {
            flash.success(message);
        } else {
            flash.warning(message);
        }
    }

    private GrantLifecycle.InviteResult inviteOne(AccountAccess access, Role.Scope scope, Long infrastructureId,
            InviteForm form, String email) {
        try {
            return lifecycle.invite(access, form.invite(scope, infrastructureId, email));
        } catch (PersistenceException e) {
            return new GrantLifecycle.Refused("email", "That did not go through; try again.");
        }
    }

    /** "Invited (3): a, b, c. Not invited: … (1): d." — addresses listed while they fit, then counted. */
    static String summary(Map<String, List<String>> outcomes) {
        StringBuilder message = new StringBuilder();
        int budget = MESSAGE_BUDGET;
        for (Map.Entry<String, List<String>> outcome : outcomes.entrySet()) {
            List<String> addresses = outcome.getValue();
            StringBuilder line = new StringBuilder(outcome.getKey().replaceAll("\\.$", "")).append(" (")
                    .append(addresses.size()).append("): ");
            int shown = 0;
            for (String address : addresses) {
                if (budget - line.length() - address.length() < 0) {
                    break;
                }
                line.append(shown == 0 ? "" : ", ").append(address);
                shown++;
            }
            if (shown < addresses.size()) {
                line.append(shown == 0 ? "" : " ").append("and ").append(addresses.size() - shown).append(" more");
            }
            line.append(". ");
            budget -= line.length();
            message.append(line);
        }
        return message.toString().strip();
    }
}
