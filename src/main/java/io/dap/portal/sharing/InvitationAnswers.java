package io.dap.portal.sharing;

import static io.dap.portal.sharing.GrantWords.granters;
import static io.dap.portal.sharing.GrantWords.sharingPath;
import static io.dap.portal.sharing.GrantWords.target;
import static io.dap.portal.sharing.GrantWords.what;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Actor;
import io.dap.portal.access.Grant;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.mail.Emails;
import io.dap.portal.notification.Notification;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/**
 * The invited person's side: open an invitation, accept or decline it (by its link or from Shared
 * with me), and leave access later. Only the invited person, only once (R8); the people who gave
 * the access are told.
 */
@ApplicationScoped
public class InvitationAnswers {

    @Inject
    TimeSource time;

    @Inject
    Emails emails;

    @Inject
    AuditLog audit;

    @Inject
    ImpersonationService impersonations;

    public enum Response { DONE, NOT_VALID, WRONG_PERSON }

    /** Accepts through the emailed link: only the invited person, only once (R8). */
    @Transactional
    public Response accept(String rawToken, Actor actor) {
        return respond(usable(rawToken), actor, Grant.Status.ACCEPTED);
    }

    @Transactional
    public Response decline(String rawToken, Actor actor) {
        return respond(usable(rawToken), actor, Grant.Status.DECLINED);
    }

    /** Accepts from Settings › Shared with me, where the grantee is already known. */
    @Transactional
    public Response acceptById(Long grantId, Actor actor) {
        return respond(usableOfGrant(grantId), actor, Grant.Status.ACCEPTED);
    }

    @Transactional
    public Response declineById(Long grantId, Actor actor) {
        return respond(usableOfGrant(grantId), actor, Grant.Status.DECLINED);
    }

    @Transactional
    public boolean leave(Long grantId, Actor actor) {
        Instant now = time.now();
        int changed = Grant.update("status = ?1, respondedAt = ?2 where id = ?3 and grantee.id = ?4 and status = ?5",
                Grant.Status.LEFT, now, grantId, actor.userId(), Grant.Status.ACCEPTED);
        if (changed != 1) {
            return false;
        }
        Grant grant = Grant.findById(grantId);
        audit.inAccount(grant.account.id, actor.userId(), actor.email(), AuditAction.GRANT_LEFT, Outcome.SUCCESS,
                target(grant), null);
        impersonations.endForGrant(grantId, actor.userId(), actor.email());
        for (User granter : granters(grant)) {
            Notification.send(granter.id, actor.email() + " left " + what(grant) + ".", sharingPath(grant), now);
            emails.delegateLeft(granter, actor.email(), what(grant), sharingPath(grant));
        }
        return true;
    }

    /** The pending invitation behind a token, for the invitation page (GET changes nothing). */
    @Transactional
    public Optional<InvitationView> view(String rawToken) {
        return usable(rawToken).map(InvitationView::of);
    }

    private Response respond(Optional<Invitation> found, Actor actor, Grant.Status outcome) {
        if (found.isEmpty()) {
            return Response.NOT_VALID;
        }
        Invitation invitation = found.get();
        Grant grant = invitation.grant;
        if (!grant.grantee.id.equals(actor.userId())) {
            // The invitation stays usable by the right person.
            audit.inAccount(grant.account.id, actor.userId(), actor.email(), AuditAction.ACCESS_NOT_FOUND,
                    Outcome.REFUSED, "invitation for another address", null);
            return Response.WRONG_PERSON;
        }
        // Grant row before invitation row, the order revoke and cancel take them in: one final state, no deadlock.
        Grant.getEntityManager().refresh(grant, LockModeType.PESSIMISTIC_WRITE);
        if (grant.status != Grant.Status.PENDING) {
            return Response.NOT_VALID;
        }
        Instant now = time.now();
        if (!Invitation.consume(invitation.id, now)) {
            return Response.NOT_VALID;
        }
        int changed = Grant.update("status = ?1, respondedAt = ?2 where id = ?3 and status = ?4", outcome, now,
                grant.id, Grant.Status.PENDING);
        if (changed != 1) {
            throw new ConcurrentChange();
        }
        boolean accepted = outcome == Grant.Status.ACCEPTED;
        audit.inAccount(grant.account.id, actor.userId(), actor.email(),
                accepted ? AuditAction.INVITATION_ACCEPTED : AuditAction.INVITATION_DECLINED, Outcome.SUCCESS,
                target(grant), grant.role.name());
        String verb = accepted ? "accepted" : "declined";
        for (User granter : granters(grant)) {
            Notification.send(granter.id, actor.email() + " " + verb + " the invitation to " + what(grant) + ".",
                    sharingPath(grant), now);
            emails.invitationAnswered(granter, actor.email(), verb, what(grant), sharingPath(grant));
        }
        return Response.DONE;
    }

    /** Thrown to roll back when another request changed the grant in between. */
    public static class ConcurrentChange extends RuntimeException {
        ConcurrentChange() {
            super("the grant changed concurrently", null, false, false);
        }
    }

    private Optional<Invitation> usable(String rawToken) {
        if (!Tokens.looksLikeToken(rawToken)) {
            return Optional.empty();
        }
        return Invitation.findUsable(Tokens.sha256(rawToken), time.now());
    }

    private Optional<Invitation> usableOfGrant(Long grantId) {
        Invitation latest = Invitation.latestOf(grantId);
        if (latest == null || !latest.isUsable(time.now())) {
            return Optional.empty();
        }
        return Invitation.findUsable(latest.tokenHash, time.now());
    }
}
