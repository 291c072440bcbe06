package io.dap.portal.sharing;

import static io.dap.portal.sharing.GrantRows.latestInvitations;
import static io.dap.portal.sharing.GrantRows.row;
import static io.dap.portal.sharing.GrantRows.rows;
import static io.dap.portal.sharing.GrantWords.target;
import static io.dap.portal.sharing.GrantWords.what;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.Actor;
import io.dap.portal.access.Grant;
import io.dap.portal.access.Permissions;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.mail.Emails;
import io.dap.portal.mail.OutboxMail;
import io.dap.portal.notification.Notification;
import io.dap.portal.sharing.DriveKeyCleanup.KeyOnDrive;
import io.dap.portal.user.User;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;

/**
 * A grant's life on the granting side, for both scopes (the whole account or one infrastructure):
 * invite, resend, cancel, change the role, revoke (one grant, every grant of a person, an access
 * group). Every transition is a conditional update on the grant's status, so two clicks or two
 * people acting at once end in exactly one final state (R8, R9, R17).
 */
@ApplicationScoped
public class GrantLifecycle {

    @Inject
    TimeSource time;

    @Inject
    PortalConfig config;

    @Inject
    Emails emails;

    @Inject
    AuditLog audit;

    @Inject
    ImpersonationService impersonations;

    @Inject
    AccessPolicy policy;

    @Inject
    DriveKeyCleanup keyCleanup;

    public sealed interface InviteResult {
    }

    public record Invited(Grant grant) implements InviteResult {
    }

    /** A refusal to show next to a form field. */
    public record Refused(String field, String message) implements InviteResult {
    }

    /**
     * Invites an address. An unknown address becomes a user waiting for activation; the answer is
     * the same either way, so the page never tells whether the address already had an account (R8).
     * A command that breaks its own constraints is a caller's bug: it fails before anything is written.
     */
    @Transactional
    public InviteResult invite(AccountAccess access, @Valid Invite invite) {
        Instant now = time.now();
        Role.Scope scope = invite.scope();
        Long infrastructureId = invite.infrastructureId();
        String email = invite.email();
        Role role = invite.role();
        // Serialises invitations into one account: two simultaneous invites of one address make one grant.
        Account account = Account.findById(access.accountId(), LockModeType.PESSIMISTIC_WRITE);
        Optional<User> known = User.findByEmail(email);
        if (known.isPresent() && known.get().id.equals(access.actor().userId())) {
            return new Refused("email", "You cannot invite yourself.");
        }
        if (known.isPresent() && known.get().id.equals(access.ownerId())) {
            return new Refused("email", "This address owns the account; it already has every right.");
        }
        User invitee = known.orElseGet(() -> newPendingUser(email, now));
        if (invitee.status == User.Status.DISABLED) {
            return new Refused("email", "This address cannot be invited.");
        }
        if (Grant.findStanding(account.id, scope, infrastructureId, invitee.id, now) != null) {
            return new Refused("email", email + " already has access or a pending invitation here.");
        }
        // R17: a grant that would add nothing to what the person already holds here is refused.
        if (policy.rightsOf(invitee.id, account.id).covers(role, infrastructureId)) {
            return new Refused("email", email + " already has this access, or more, through other access to this"
                    + " account. Change that access instead.");
        }
        Grant grant = new Grant();
        grant.account = account;
        grant.scope = scope;
        grant.infrastructure = infrastructureId == null ? null : Infrastructure.findById(infrastructureId);
        grant.grantee = invitee;
        grant.role = role;
        grant.status = Grant.Status.PENDING;
        grant.label = invite.label();
        grant.endsAt = invite.endsAt();
        grant.invitedBy = User.findById(access.actor().userId());
        grant.invitedAt = now;
        grant.persist();
        sendInvitation(grant, now);
        record(access, AuditAction.INVITATION_SENT, grant, role.name());
        return new Invited(grant);
    }

    /** A new link; the previous one stops working at once. */
    @Transactional
    public boolean resend(AccountAccess access, Shared shared, Long grantId) {
        Grant grant = grantIn(shared, grantId);
        if (grant == null || grant.status != Grant.Status.PENDING) {
            return false;
        }
        Instant now = time.now();
        Invitation.supersedeAll(grant.id, now);
        sendInvitation(grant, now);
        record(access, AuditAction.INVITATION_RESENT, grant, null);
        return true;
    }

    @Transactional
    public boolean cancel(AccountAccess access, Shared shared, Long grantId) {
        if (grantIn(shared, grantId) == null) {
            return false;
        }
        Instant now = time.now();
        int changed = Grant.update("status = ?1, revokedAt = ?2, revokedBy.id = ?3 where id = ?4 and status = ?5",
                Grant.Status.CANCELLED, now, access.actor().userId(), grantId, Grant.Status.PENDING);
        if (changed != 1) {
            return false;
        }
        Invitation.supersedeAll(grantId, now);
        record(access, AuditAction.INVITATION_CANCELLED, Grant.findById(grantId), null);
        return true;
    }

    /**
     * The portal's support staff withdraw a pending invitation of {@code granteeId} (R21): the same
     * conditional change as the granter's cancel, recorded as theirs with the reason. Empty when it
     * is not a pending invitation of that person.
     */
    @Transactional
    public Optional<Grant> cancelByOperator(Long grantId, Long granteeId, Actor operator, String reason) {
        Grant grant = Grant.findById(grantId);
        if (grant == null || !grant.grantee.id.equals(granteeId)) {
            return Optional.empty();
        }
        Instant now = time.now();
        int changed = Grant.update("status = ?1, revokedAt = ?2, revokedBy.id = ?3 where id = ?4 and status = ?5",
                Grant.Status.CANCELLED, now, operator.userId(), grantId, Grant.Status.PENDING);
        if (changed != 1) {
            return Optional.empty();
        }
        Invitation.supersedeAll(grantId, now);
        audit.entry(operator.userId(), operator.email(), AuditAction.INVITATION_CANCELLED, Outcome.SUCCESS)
                .inAccount(grant.account.id).about(grant.grantee.id).target(target(grant))
                .detail("by the portal's support staff: " + reason).byOperator().record();
        return Optional.of(grant);
    }

    /**
     * Role changes apply to open grants, pending or accepted; the role must fit the grant's scope.
     * A delegate whose accepted access changes is told, by mail and in the portal.
     */
    @Transactional
    public boolean changeRole(AccountAccess access, Shared shared, Long grantId, Role role) {
        Grant grant = grantIn(shared, grantId);
        if (grant == null || role.scope() != shared.scope()) {
            return false;
        }
        Role before = grant.role;
        int changed = Grant.update("update Grant g set g.role = ?1 where g.id = ?2 and " + Grant.open("g"), role,
                grantId);
        if (changed != 1) {
            return false;
        }
        Grant.getEntityManager().refresh(grant);
        record(access, AuditAction.GRANT_ROLE_CHANGED, grant, role.name());
        // An Administrator demoted loses the right to impersonate with it (R10).
        if (!Permissions.allows(role, Action.IMPERSONATE_OWNER)) {
            impersonations.endForGrant(grantId, access.actor().userId(), access.actor().email());
        }
        if (grant.status == Grant.Status.ACCEPTED && before != role) {
            String by = access.actor().displayName() + " (" + access.actor().email() + ")";
            Instant now = time.now();
            Notification.send(grant.grantee.id, by + " changed your role on " + what(grant) + " from "
                    + before.label() + " to " + role.label() + ".", "/settings/shared-with-me", now);
            emails.roleChanged(grant.grantee, by, what(grant), before.label(), role.label());
        }
        return true;
    }

    /**
     * What revoking one grant can take with it (R17), for the confirmation page: the person's
     * other open grants in this account that the actor may end (ticked by default), those only the
     * owner may end, the grants the person gave others (which stay unless the owner ends them
     * too), and the running drives that still carry the person's SSH keys once all that is gone.
     */
    public record RevokePlan(GrantRow grant, List<GrantRow> alsoEnds, List<GrantRow> ownerOnly, List<GrantRow> given,
            List<KeyOnDrive> keys, List<KeyOnDrive> moreKeys, boolean carriesKeys) {
    }

    @Transactional
    public Optional<RevokePlan> planRevoke(AccountAccess access, Shared shared, Long grantId, String basePath) {
        Grant grant = grantIn(shared, grantId);
        if (grant == null || !grant.isOpen()) {
            return Optional.empty();
        }
        Instant now = time.now();
        List<Grant> others = otherOpenGrants(grant);
        List<Grant> alsoEnds = others.stream().filter(g -> mayEnd(access, g)).toList();
        List<Grant> given = access.isOwner() ? givenBy(grant) : List.of();
        Map<Long, Invitation> latest = latestInvitations(concat(List.of(grant), others, given));
        // Keys this grant alone leaves without a reason, then those that go too once every grant ends.
        List<KeyOnDrive> keys = keyCleanup.formerKeys(shared, grant.grantee.id, List.of(grant.id));
        List<KeyOnDrive> moreKeys = alsoEnds.isEmpty() ? List.of()
                : keyCleanup.formerKeys(Shared.account(shared.accountId()), grant.grantee.id,
                        concat(List.of(grant), alsoEnds, List.of()).stream().map(g -> g.id).toList()).stream()
                        .filter(k -> keys.stream().noneMatch(o -> o.driveKeyId().equals(k.driveKeyId()))).toList();
        boolean carriesKeys = concat(List.of(grant), alsoEnds, List.of()).stream()
                .anyMatch(g -> Permissions.carriesSshKeys(g.role)) || !keys.isEmpty() || !moreKeys.isEmpty();
        return Optional.of(new RevokePlan(row(grant, latest.get(grant.id), now, basePath),
                rows(alsoEnds, latest, now, basePath), rows(others.stream().filter(g -> !mayEnd(access, g)).toList(),
                        latest, now, basePath), rows(given, latest, now, basePath), keys, moreKeys, carriesKeys));
    }

    /** What a revocation ended: how many grants of the person, and how many they had given. */
    public record Revoked(int grants, int given) {

        public boolean any() {
            return grants > 0;
        }
    }

    /**
     * Ends an accepted grant, or cancels a pending one; with {@code endEvery}, also every other open
     * grant the person holds in the account that the actor may end (R17); with {@code endGiven}
     * (the owner only), the grants the person gave others. Optionally takes the person's SSH keys
     * off the drives they are no longer entitled to (R11), in the same transaction. Rows are locked
     * in id order: an acceptance in flight either commits before (and is revoked) or finds the
     * invitation cancelled — never an active grant beside a revoked one.
     */
    @Transactional
    public Revoked revoke(AccountAccess access, Shared shared, Long grantId, boolean removeKeys, boolean endEvery,
            boolean endGiven) {
        Grant.findById(grantId, LockModeType.PESSIMISTIC_WRITE);
        Grant grant = grantIn(shared, grantId);
        if (grant == null || !grant.isOpen()) {
            return new Revoked(0, 0);
        }
        List<Grant> others = endEvery ? otherOpenGrants(grant).stream().filter(g -> mayEnd(access, g)).toList()
                : List.of();
        List<Grant> given = endGiven && access.isOwner() ? givenBy(grant) : List.of();
        Instant now = time.now();
        List<Grant> ended = new ArrayList<>();
        List<Grant> endedGiven = new ArrayList<>();
        for (Grant each : lockInOrder(concat(List.of(grant), others, given))) {
            if (end(access, each, now)) {
                (each.grantee.id.equals(grant.grantee.id) ? ended : endedGiven).add(each);
            }
        }
        tellEnded(access, ended, now);
        tellEnded(access, endedGiven, now);
        if (removeKeys && !ended.isEmpty()) {
            keyCleanup.removeFormerKeys(access, others.isEmpty() ? shared : Shared.account(shared.accountId()), grant.grantee.id);
        }
        return new Revoked(ended.size(), endedGiven.size());
    }

    /**
     * Ends every open grant of one access group on a sharing page, in one transaction and one
     * confirmed action: accepted ones revoked, pending ones cancelled, each audited, each person told
     * once. Rows are locked in id order, like a single revocation.
     */
    @Transactional
    public Revoked revokeLabelled(AccountAccess access, Shared shared, String label) {
        if (!SingleLineText.of(label, Integer.MAX_VALUE).valid()) {
            // No stored label holds a control character, and PostgreSQL refuses a NUL as a parameter.
            return new Revoked(0, 0);
        }
        List<Grant> group = GrantRows.labelledGrants(shared, label).stream().filter(g -> mayEnd(access, g)).toList();
        Instant now = time.now();
        List<Grant> ended = new ArrayList<>();
        for (Grant grant : lockInOrder(group)) {
            if (end(access, grant, now)) {
                ended.add(grant);
            }
        }
        tellEnded(access, ended, now);
        return new Revoked(ended.size(), 0);
    }

    /** One grant ends: accepted ones are revoked, pending ones cancelled; false if it had already ended. */
    private boolean end(AccountAccess access, Grant grant, Instant now) {
        Long actorId = access.actor().userId();
        int revoked = Grant.update("status = ?1, revokedAt = ?2, revokedBy.id = ?3 where id = ?4 and status = ?5",
                Grant.Status.REVOKED, now, actorId, grant.id, Grant.Status.ACCEPTED);
        if (revoked == 1) {
            record(access, AuditAction.GRANT_REVOKED, grant, null);
            impersonations.endForGrant(grant.id, actorId, access.actor().email());
            return true;
        }
        int cancelled = Grant.update("status = ?1, revokedAt = ?2, revokedBy.id = ?3 where id = ?4 and status = ?5",
                Grant.Status.CANCELLED, now, actorId, grant.id, Grant.Status.PENDING);
        if (cancelled == 1) {
            Invitation.supersedeAll(grant.id, now);
            record(access, AuditAction.INVITATION_CANCELLED, grant, null);
            return true;
        }
        return false;
    }

    /** The person hears once, by mail and in the portal, which accepted access ended; pending invitations just stop working. */
    private void tellEnded(AccountAccess access, List<Grant> ended, Instant now) {
        Map<Long, List<Grant>> byPerson = new java.util.LinkedHashMap<>();
        ended.stream().filter(g -> g.status == Grant.Status.ACCEPTED)
                .forEach(g -> byPerson.computeIfAbsent(g.grantee.id, id -> new ArrayList<>()).add(g));
        byPerson.values().forEach(grants -> {
            User grantee = grants.get(0).grantee;
            List<String> what = grants.stream().map(GrantWords::what).toList();
            String by = access.actor().displayName() + " (" + access.actor().email() + ")";
            Notification.send(grantee.id, by + " ended your access to " + String.join(", ", what) + ".",
                    "/settings/shared-with-me", now);
            emails.accessEnded(grantee, by, what);
        });
    }

    private boolean mayEnd(AccountAccess access, Grant grant) {
        if (access.impersonating()) {
            return false;
        }
        return grant.scope == Role.Scope.ACCOUNT ? access.can(Action.MANAGE_ACCOUNT_SHARING)
                : access.can(Action.SHARE_INFRASTRUCTURE, grant.infrastructure.id);
    }

    /** The person's other pending or accepted grants in the same account, account grant first. */
    private static List<Grant> otherOpenGrants(Grant grant) {
        return Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = ?1 and g.grantee.id = ?2 and g.id <> ?3"
                + " and " + Grant.open("g") + " order by g.scope, g.id", grant.account.id, grant.grantee.id, grant.id);
    }

    /** Pending or accepted grants of the account that the grant's holder gave to other people. */
    private static List<Grant> givenBy(Grant grant) {
        return Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = ?1 and g.invitedBy.id = ?2"
                + " and g.grantee.id <> ?2 and " + Grant.open("g") + " order by g.id", grant.account.id,
                grant.grantee.id);
    }

    private static List<Grant> lockInOrder(List<Grant> grants) {
        return grants.stream().map(g -> g.id).distinct().sorted().map(id -> {
            Grant locked = Grant.findById(id, LockModeType.PESSIMISTIC_WRITE);
            Grant.getEntityManager().refresh(locked);
            return locked;
        }).toList();
    }

    @SafeVarargs
    private static List<Grant> concat(List<Grant>... lists) {
        List<Grant> all = new ArrayList<>();
        for (List<Grant> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private Grant grantIn(Shared shared, Long grantId) {
        Grant grant = Grant.findById(grantId);
        return grant == null || !shared.covers(grant) ? null : grant;
    }

    private void sendInvitation(Grant grant, Instant now) {
        String raw = Tokens.newToken();
        Invitation invitation = new Invitation();
        invitation.grant = grant;
        invitation.tokenHash = Tokens.sha256(raw);
        invitation.createdAt = now;
        invitation.expiresAt = now.plus(config.invitation().tokenTtl());
        invitation.persist();
        User invitee = grant.grantee;
        String inviter = grant.invitedBy.displayName + " (" + grant.invitedBy.email + ")";
        OutboxMail mail = emails.invitation(invitee, raw, inviter, what(grant), grant.role.label(),
                invitee.status == User.Status.PENDING_ACTIVATION);
        invitation.mail = mail;
        if (invitee.isActive()) {
            Notification.send(invitee.id, inviter + " invites you to " + what(grant) + " as " + grant.role.label()
                    + ".", "/settings/shared-with-me", now);
        }
    }

    private User newPendingUser(String email, Instant now) {
        User user = new User();
        user.email = email;
        user.displayName = email.substring(0, email.indexOf('@'));
        user.status = User.Status.PENDING_ACTIVATION;
        user.createdAt = now;
        user.persist();
        Account.openFor(user, now);
        return user;
    }

    /** A change to a grant, in the owner's log and (as its subject) in the grantee's security log. */
    private void record(AccountAccess access, AuditAction action, Grant grant, String detail) {
        audit.entry(access.actor().userId(), access.actor().email(), action, Outcome.SUCCESS)
                .inAccount(access.accountId()).about(grant.grantee.id).target(target(grant)).detail(detail).record();
    }
}
