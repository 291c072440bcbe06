package io.dap.portal.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

/** Invitations as the tests drive them: through the sharing page and the mailed link, read back from the rows. */
@ApplicationScoped
public class Invitations {

    public static final String PREFIX = "/invitations/";

    /** A grant as stored, read in its own transaction. */
    public record GrantState(Long id, Grant.Status status, Role role, Long granteeId, String granteeEmail) {
    }

    /** An invitation row as stored. */
    public record InvitationState(Long id, String tokenHash, boolean used, boolean superseded) {
    }

    @Inject
    Mailbox mailbox;

    /** The owner's POST on the account sharing page. */
    public static Response invite(Browser owner, Long accountId, String email, Role role) {
        return owner.post(sharing(accountId) + "/invite", "email", email, "role", role.name(), "label", "",
                "until", "");
    }

    public static String sharing(Long accountId) {
        return "/accounts/" + accountId + "/sharing";
    }

    public static String grantAction(Long accountId, Long grantId, String action) {
        return sharing(accountId) + "/" + grantId + "/" + action;
    }

    /** Delivers the outbox and returns the invitation link of the newest invitation mail to that address. */
    public String latestLink(String email) {
        List<Mail> mails = mailbox.deliverAndRead(email).stream()
                .filter(m -> m.getText() != null && m.getText().contains(PREFIX)).toList();
        if (mails.isEmpty()) {
            throw new AssertionError("no invitation mail to " + email);
        }
        return Mailbox.linkPath(mails.get(mails.size() - 1), PREFIX);
    }

    public static String token(String link) {
        return link.substring(PREFIX.length());
    }

    /** The one grant of this account to this person (by normalised address). */
    public GrantState grantTo(Long accountId, String email) {
        List<GrantState> grants = grantsTo(accountId, email);
        if (grants.size() != 1) {
            throw new AssertionError("expected one grant to " + email + " but found " + grants.size());
        }
        return grants.get(0);
    }

    public List<GrantState> grantsTo(Long accountId, String email) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.<Grant>list(
                "select g from Grant g join fetch g.grantee u where g.account.id = ?1 and u.email = ?2 order by g.id",
                accountId, email).stream().map(Invitations::state).toList());
    }

    public GrantState grant(Long grantId) {
        return QuarkusTransaction.requiringNew().call(() -> state(Grant.<Grant>find(
                "select g from Grant g join fetch g.grantee where g.id = ?1", grantId).firstResult()));
    }

    public long grantCount(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.count("account.id", accountId));
    }

    public List<InvitationState> invitationsOf(Long grantId) {
        return QuarkusTransaction.requiringNew().call(() -> Invitation.<Invitation>list("grant.id = ?1 order by id",
                grantId).stream().map(i -> new InvitationState(i.id, i.tokenHash, i.usedAt != null,
                        i.supersededAt != null)).toList());
    }

    /** How many invitation rows, of any grant, store exactly this value as their hash. */
    public long invitationsWithHash(String value) {
        return QuarkusTransaction.requiringNew().call(() -> Invitation.count("tokenHash", value));
    }

    public long usersWithEmail(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.count("lower(email) = ?1", email.toLowerCase()));
    }

    public User user(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email).orElse(null));
    }

    public List<AuditEvent> audit(Long accountId, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "accountId = ?1 and action = ?2 order by id", accountId, action.name()));
    }

    public List<AuditEvent> auditOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("accountId = ?1 order by id",
                accountId));
    }

    /** The flash a response sets for the next page, as its JSON text ("" when it sets none). */
    public static String flash(Response response) {
        String value = response.getCookie("portal_flash");
        if (value == null || value.isEmpty()) {
            return "";
        }
        return new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static GrantState state(Grant grant) {
        return grant == null ? null
                : new GrantState(grant.id, grant.status, grant.role, grant.grantee.id, grant.grantee.email);
    }
}
