package io.dap.portal.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Action;
import io.dap.portal.access.Actor;
import io.dap.portal.access.Grant;
import io.dap.portal.access.Permissions;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent.Outcome;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.mail.Emails;
import io.dap.portal.mail.OutboxMail;
import io.dap.portal.notification.Notification;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.user.User;
import io.dap.portal.web.Page;
import io.dap.portal.web.SingleLineText;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.Tokens;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * Grants and their invitations, for both scopes (one mechanism: the whole account or one
 * infrastructure). Every transition is a conditional update on the grant's status, so two clicks
 * or two people acting at once end in exactly one final state (R8, R9).
 */
@ApplicationScoped
public class SharingService {

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
     */
    @Transactional
    public InviteResult invite(AccountAccess access, Role.Scope scope, Long infrastructureId, String email, Role role,
            String label, Instant endsAt) {
        Instant now = time.now();
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
        if (Grant.findLive(account.id, scope, infrastructureId, invitee.id, now) != null) {
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
        grant.label = label;
        grant.endsAt = endsAt;
        grant.invitedBy = User.findById(access.actor().userId());
        grant.invitedAt = now;
        grant.persist();
        sendInvitation(grant, now);
        record(access, AuditAction.INVITATION_SENT, grant, role.name());
        return new Invited(grant);
    }

    /** What a sharing page manages: the whole account, or one infrastructure of it. */
    public record Shared(Long accountId, Long infrastructureId) {

        public static Shared account(Long accountId) {
            return new Shared(accountId, null);
        }

        Role.Scope scope() {
            return infrastructureId == null ? Role.Scope.ACCOUNT : Role.Scope.INFRASTRUCTURE;
        }

        boolean covers(Grant grant) {
            return grant.account.id.equals(accountId) && grant.scope == scope()
                    && (infrastructureId == null || grant.infrastructure.id.equals(infrastructureId));
        }
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
     * Role changes apply to live grants, pending or accepted; the role must fit the grant's scope.
     * A delegate whose accepted access changes is told, by mail and in the portal.
     */
    @Transactional
    public boolean changeRole(AccountAccess access, Shared shared, Long grantId, Role role) {
        Grant grant = grantIn(shared, grantId);
        if (grant == null || role.scope() != shared.scope()) {
            return false;
        }
        Role before = grant.role;
        int changed = Grant.update("role = ?1 where id = ?2 and status in (?3, ?4)", role, grantId,
                Grant.Status.PENDING, Grant.Status.ACCEPTED);
        if (changed != 1) {
            return false;
        }
        Grant.getEntityManager().refresh(grant);
        record(access, AuditAction.GRANT_ROLE_CHANGED, grant, role.name());
        // An Administrator demoted loses the right to impersonate with it (R10).
        if (role != Role.ACCOUNT_ADMINISTRATOR) {
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
     * other live grants in this account that the actor may end (ticked by default), those only the
     * owner may end, the grants the person gave others (which stay unless the owner ends them
     * too), and the running drives that still carry the person's SSH keys once all that is gone.
     */
    public record RevokePlan(GrantRow grant, List<GrantRow> alsoEnds, List<GrantRow> ownerOnly, List<GrantRow> given,
            List<KeyOnDrive> keys, List<KeyOnDrive> moreKeys, boolean carriesKeys) {
    }

    @Transactional
    public Optional<RevokePlan> planRevoke(AccountAccess access, Shared shared, Long grantId, String basePath) {
        Grant grant = grantIn(shared, grantId);
        if (grant == null || !grant.isLive()) {
            return Optional.empty();
        }
        Instant now = time.now();
        List<Grant> others = otherLiveGrants(grant);
        List<Grant> alsoEnds = others.stream().filter(g -> mayEnd(access, g)).toList();
        List<Grant> given = access.isOwner() ? givenBy(grant) : List.of();
        Map<Long, Invitation> latest = latestInvitations(concat(List.of(grant), others, given));
        // Keys this grant alone leaves without a reason, then those that go too once every grant ends.
        List<KeyOnDrive> keys = formerKeys(shared, grant.grantee.id, List.of(grant.id));
        List<KeyOnDrive> moreKeys = alsoEnds.isEmpty() ? List.of()
                : formerKeys(Shared.account(shared.accountId()), grant.grantee.id,
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
     * Ends an accepted grant, or cancels a pending one; with {@code endEvery}, also every other live
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
        if (grant == null || !grant.isLive()) {
            return new Revoked(0, 0);
        }
        List<Grant> others = endEvery ? otherLiveGrants(grant).stream().filter(g -> mayEnd(access, g)).toList()
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
            removeFormerKeys(access, others.isEmpty() ? shared : Shared.account(shared.accountId()), grant.grantee.id);
        }
        return new Revoked(ended.size(), endedGiven.size());
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
            List<String> what = grants.stream().map(SharingService::what).toList();
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
    private static List<Grant> otherLiveGrants(Grant grant) {
        return Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = ?1 and g.grantee.id = ?2 and g.id <> ?3"
                + " and g.status in (?4, ?5) order by g.scope, g.id", grant.account.id, grant.grantee.id, grant.id,
                Grant.Status.PENDING, Grant.Status.ACCEPTED);
    }

    /** Pending or accepted grants of the account that the grant's holder gave to other people. */
    private static List<Grant> givenBy(Grant grant) {
        return Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = ?1 and g.invitedBy.id = ?2"
                + " and g.grantee.id <> ?2 and g.status in (?3, ?4) order by g.id", grant.account.id,
                grant.grantee.id, Grant.Status.PENDING, Grant.Status.ACCEPTED);
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

    static Map<Long, Invitation> latestInvitations(List<Grant> grants) {
        Map<Long, Invitation> latest = new HashMap<>();
        if (!grants.isEmpty()) {
            List<Long> ids = grants.stream().map(g -> g.id).toList();
            Invitation.<Invitation>list("select i from Invitation i left join fetch i.mail where i.id in"
                    + " (select max(j.id) from Invitation j where j.grant.id in ?1 group by j.grant.id)", ids)
                    .forEach(i -> latest.put(i.grant.id, i));
        }
        return latest;
    }

    /** Rows for grants read elsewhere (the operator console, R21), with their latest invitations: one statement. */
    public static List<GrantRow> rowsOf(List<Grant> grants, Instant now, String basePath) {
        return rows(grants, latestInvitations(grants), now, basePath);
    }

    static List<GrantRow> rows(List<Grant> grants, Map<Long, Invitation> latest, Instant now,
            String basePath) {
        return grants.stream().map(g -> row(g, latest.get(g.id), now, basePath)).toList();
    }

    public record KeyOnDrive(Long driveKeyId, Long driveId, Long userId, String userEmail,
            String infrastructureLabel, String driveLabel, String fingerprint) {
    }

    /**
     * Running drives of the account (or of one infrastructure) carrying SSH keys of people who are
     * no longer entitled to them: neither the owner nor an active Administrator covering that
     * infrastructure (R11). With {@code userId}, only that person's keys.
     */
    @Transactional
    public List<KeyOnDrive> formerKeys(Shared shared, Long userId, Collection<Long> ignoringGrantIds) {
        Instant now = time.now();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("running", Drive.Status.RUNNING);
        parameters.put("account", shared.accountId());
        // From the keys installed in the account (its own index), not from every infrastructure and drive.
        String query = "select k from DriveKey k join fetch k.user join fetch k.drive d join fetch d.infrastructure i"
                + " join i.account a where k.accountId = :account and k.removedAt is null and d.status = :running"
                + " and k.user.id <> a.owner.id";
        if (shared.infrastructureId() != null) {
            query += " and i.id = :infrastructure";
            parameters.put("infrastructure", shared.infrastructureId());
        }
        if (userId != null) {
            query += " and k.user.id = :user";
            parameters.put("user", userId);
        }
        List<DriveKey> keys = DriveKey.list(query + " order by k.user.email, i.label, d.label", parameters);
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Grant> admins = Grant.<Grant>list("account.id = ?1 and status = ?2 and (endsAt is null or endsAt > ?3)"
                + " and role in ?4", shared.accountId(), Grant.Status.ACCEPTED, now,
                Permissions.keyCarryingRoles()).stream()
                .filter(g -> !ignoringGrantIds.contains(g.id)).toList();
        return keys.stream().filter(k -> admins.stream().noneMatch(g -> g.grantee.id.equals(k.user.id)
                && (g.scope == Role.Scope.ACCOUNT || g.infrastructure.id.equals(k.drive.infrastructure.id))))
                .map(k -> new KeyOnDrive(k.id, k.drive.id, k.user.id, k.user.email, k.drive.infrastructure.label,
                        k.drive.label, k.fingerprint))
                .toList();
    }

    /** Takes a former delegate's keys off every drive they are no longer entitled to; recorded per drive. */
    @Transactional
    public int removeFormerKeys(AccountAccess access, Shared shared, Long userId) {
        List<KeyOnDrive> keys = formerKeys(shared, userId, List.of());
        Instant now = time.now();
        User remover = User.findById(access.actor().userId());
        for (KeyOnDrive key : keys) {
            DriveKey row = DriveKey.findById(key.driveKeyId());
            row.removedAt = now;
            row.removedBy = remover;
            audit.inAccount(access.accountId(), access.actor().userId(), access.actor().email(),
                    AuditAction.SSH_KEY_REMOVED_FROM_DRIVE, Outcome.SUCCESS,
                    "drive " + row.drive.id + " (" + key.infrastructureLabel() + " / " + key.driveLabel() + ")",
                    key.userEmail() + " " + key.fingerprint());
        }
        return keys.size();
    }

    private Grant grantIn(Shared shared, Long grantId) {
        Grant grant = Grant.findById(grantId);
        return grant == null || !shared.covers(grant) ? null : grant;
    }

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

    /**
     * One page of an account's grants of one scope (one infrastructure's, for that scope), newest
     * first, counted: three statements (count, grants, their latest invitations). For the API,
     * whose pages carry a total.
     */
    @Transactional
    public Page<GrantRow> page(Long accountId, Role.Scope scope, Long infrastructureId, String label, String basePath,
            int requestedPage, int size) {
        String where = grantsWhere(infrastructureId, label);
        Object[] parameters = grantsParameters(accountId, scope, infrastructureId, label);
        long total = Grant.count(where.replace("g.", ""), parameters);
        int number = Page.clampNumber(requestedPage, total, size);
        List<Grant> grants = grantsQuery(where, parameters).page(number - 1, size).list();
        return new Page<>(rows(grants, latestInvitations(grants), time.now(), basePath), number, size, total);
    }

    /**
     * The same page for the sharing pages, not counted: they show the newest grants and the way
     * to the next page, read from the account's index in that order. Two statements, whatever
     * the number of grants.
     */
    @Transactional
    public Page<GrantRow> slice(Long accountId, Role.Scope scope, Long infrastructureId, String label,
            String basePath, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        String where = grantsWhere(infrastructureId, label);
        List<Grant> grants = grantsQuery(where, grantsParameters(accountId, scope, infrastructureId, label))
                .range((number - 1) * size, number * size).list();
        List<Grant> shown = grants.stream().limit(size).toList();
        return Page.slice(rows(shown, latestInvitations(shown), time.now(), basePath), number, size,
                grants.size() > size);
    }

    /** The grants of a sharing page, of one access group when a label is given (positional parameters). */
    private static String grantsWhere(Long infrastructureId, String label) {
        String where = "g.account.id = ?1 and g.scope = ?2";
        int next = 3;
        if (infrastructureId != null) {
            where += " and g.infrastructure.id = ?" + next++;
        }
        return label == null ? where : where + " and g.label = ?" + next;
    }

    private static Object[] grantsParameters(Long accountId, Role.Scope scope, Long infrastructureId, String label) {
        List<Object> parameters = new ArrayList<>(List.of(accountId, scope));
        if (infrastructureId != null) {
            parameters.add(infrastructureId);
        }
        if (label != null) {
            parameters.add(label);
        }
        return parameters.toArray();
    }

    private static PanacheQuery<Grant> grantsQuery(String where, Object[] parameters) {
        return Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where " + where + " order by "
                // The filtered columns lead, as in the index that answers the page (see AuditLog.Condition).
                + (where.contains("g.infrastructure.id") ? "g.infrastructure.id" : "g.account.id, g.scope")
                + (where.contains("g.label") ? ", g.label" : "")
                + ", g.invitedAt desc, g.id desc", parameters);
    }

    /** At most this many labels are offered as filters, and this many grants end in one group revocation. */
    static final int MAX_LABELS = 200;
    static final int MAX_GROUP = 500;

    /** The labels (access groups) in use on a sharing page's live grants, alphabetically: one statement. */
    @Transactional
    public List<String> labels(Shared shared) {
        // In the order of the label index (its leading columns first) and from the first label on, so
        // the read skips the unlabelled grants and stops after the page, however many grants there are.
        String lead = shared.infrastructureId() == null ? "g.account.id, g.scope" : "g.infrastructure.id";
        var query = Grant.getEntityManager().createQuery("select distinct " + lead + ", g.label from Grant g where "
                + live(shared) + " and g.label > '' order by " + lead + ", g.label", Object[].class)
                .setMaxResults(MAX_LABELS);
        liveParameters(shared).forEach(query::setParameter);
        return query.getResultStream().map(row -> (String) row[row.length - 1]).toList();
    }

    /** The live grants of one access group on a sharing page, for the confirmation of ending them all. */
    @Transactional
    public List<GrantRow> labelled(Shared shared, String label, String basePath) {
        List<Grant> grants = labelledGrants(shared, label);
        return rows(grants, latestInvitations(grants), time.now(), basePath);
    }

    /**
     * Ends every live grant of one access group on a sharing page, in one transaction and one
     * confirmed action: accepted ones revoked, pending ones cancelled, each audited, each person told
     * once. Rows are locked in id order, like a single revocation.
     */
    @Transactional
    public Revoked revokeLabelled(AccountAccess access, Shared shared, String label) {
        if (!SingleLineText.of(label, Integer.MAX_VALUE).valid()) {
            // No stored label holds a control character, and PostgreSQL refuses a NUL as a parameter.
            return new Revoked(0, 0);
        }
        List<Grant> group = labelledGrants(shared, label).stream().filter(g -> mayEnd(access, g)).toList();
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

    private static List<Grant> labelledGrants(Shared shared, String label) {
        Map<String, Object> parameters = liveParameters(shared);
        parameters.put("label", label);
        return Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where " + live(shared) + " and g.label = :label order by g.id",
                parameters).page(0, MAX_GROUP).list();
    }

    /** The pending or accepted grants a sharing page manages (named parameters from liveParameters). */
    private static String live(Shared shared) {
        return "g.account.id = :account and g.scope = :scope and g.status in (:pending, :accepted)"
                + (shared.infrastructureId() == null ? "" : " and g.infrastructure.id = :infrastructure");
    }

    private static Map<String, Object> liveParameters(Shared shared) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("account", shared.accountId());
        parameters.put("scope", shared.scope());
        parameters.put("pending", Grant.Status.PENDING);
        parameters.put("accepted", Grant.Status.ACCEPTED);
        if (shared.infrastructureId() != null) {
            parameters.put("infrastructure", shared.infrastructureId());
        }
        return parameters;
    }

    private static GrantRow row(Grant grant, Invitation invitation, Instant now, String basePath) {
        String status = switch (grant.status) {
            case PENDING -> invitation != null && invitation.isUsable(now) ? "Pending" : "Expired";
            case ACCEPTED -> grant.isActive(now) ? "Accepted" : "Expired";
            case DECLINED -> "Declined";
            case CANCELLED -> "Cancelled";
            case REVOKED -> "Revoked";
            case LEFT -> "Left";
        };
        String mailStatus = invitation == null || invitation.mail == null ? "—" : switch (invitation.mail.status) {
            case PENDING -> invitation.mail.attempts == 0 ? "Queued" : "Retrying";
            case SENT -> "Delivered to the mail server";
            case FAILED -> "Failed";
        };
        User grantee = grant.grantee;
        // A name only once the person answered: before that it would tell that the address had an account (R8).
        String name = grant.respondedAt != null && grantee.isActive() ? grantee.displayName : null;
        return new GrantRow(grant.id, grantee.id, grantee.email, name, grant.role,
                grant.infrastructure == null ? null : grant.infrastructure.label,
                grant.label, status, grant.invitedBy.displayName, grant.invitedAt, grant.respondedAt, grant.endsAt,
                mailStatus, grant.isLive(), grant.status == Grant.Status.PENDING, basePath);
    }

    /** How many people hold a role in an account, by state: the dashboard's summary of Account sharing. */
    public record AccessCount(String scope, String roleLabel, String status, long count) {
    }

    /**
     * Live grants of the account counted by scope, role and state (Pending, Accepted, Expired):
     * one grouped statement whatever their number.
     */
    @Transactional
    public List<AccessCount> accessCounts(Long accountId) {
        // The end date is summed, not grouped on: an expression with a parameter cannot be grouped
        // on portably (PostgreSQL sees two different parameters).
        List<Object[]> rows = Grant.getEntityManager().createQuery("select g.scope, g.role, g.status, count(g),"
                + " sum(case when g.endsAt is not null and g.endsAt <= :now then 1 else 0 end)"
                + " from Grant g where g.account.id = :account and g.status in (:pending, :accepted)"
                + " group by g.scope, g.role, g.status order by g.scope, g.role, g.status", Object[].class)
                .setParameter("now", time.now()).setParameter("account", accountId)
                .setParameter("pending", Grant.Status.PENDING).setParameter("accepted", Grant.Status.ACCEPTED)
                .getResultList();
        List<AccessCount> counts = new ArrayList<>();
        for (Object[] r : rows) {
            String scope = r[0] == Role.Scope.ACCOUNT ? "Account" : "Infrastructure";
            String role = ((Role) r[1]).label();
            long all = ((Number) r[3]).longValue();
            long ranOut = r[4] == null ? 0 : ((Number) r[4]).longValue();
            if (r[2] == Grant.Status.PENDING) {
                counts.add(new AccessCount(scope, role, "Pending", all));
                continue;
            }
            if (all > ranOut) {
                counts.add(new AccessCount(scope, role, "Accepted", all - ranOut));
            }
            if (ranOut > 0) {
                counts.add(new AccessCount(scope, role, "Expired", ranOut));
            }
        }
        return counts;
    }

    public record AccountDelegate(String email, String displayName, String roleLabel) {
    }

    /**
     * Who has access through account sharing, shown read-only on an infrastructure's Sharing tab:
     * a page at a time, newest grant first (the account's index order), not counted.
     */
    @Transactional
    public Page<AccountDelegate> accountDelegates(Long accountId, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        List<AccountDelegate> delegates = Grant.<Grant>find("select g from Grant g join fetch g.grantee"
                + " where g.account.id = ?1 and g.scope = ?2 and g.status = ?3 and (g.endsAt is null or g.endsAt > ?4)"
                + " order by g.account.id, g.scope, g.invitedAt desc, g.id desc", accountId, Role.Scope.ACCOUNT,
                Grant.Status.ACCEPTED,
                time.now()).range((number - 1) * size, number * size).list().stream()
                .map(g -> new AccountDelegate(g.grantee.email, g.grantee.displayName, g.role.label())).toList();
        return Page.slice(delegates.stream().limit(size).toList(), number, size, delegates.size() > size);
    }

    /** A grant of this account, for the revoke confirmation. */
    @Transactional
    public Optional<GrantRow> find(Shared shared, Long grantId, String basePath) {
        Grant grant = Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.id = ?1", grantId).firstResult();
        if (grant == null || !shared.covers(grant)) {
            return Optional.empty();
        }
        return Optional.of(row(grant, Invitation.latestOf(grant.id), time.now(), basePath));
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

    /** Who is told about answers: the owner, and the delegate who sent the invitation if that was someone else. */
    private static List<User> granters(Grant grant) {
        User owner = grant.account.owner;
        return grant.invitedBy.id.equals(owner.id) ? List.of(owner) : List.of(owner, grant.invitedBy);
    }

    /** The sharing page the grant is managed on. */
    private static String sharingPath(Grant grant) {
        String account = "/accounts/" + grant.account.id;
        return grant.scope == Role.Scope.ACCOUNT ? account + "/sharing"
                : account + "/infrastructures/" + grant.infrastructure.id + "/sharing";
    }

    /** A change to a grant, in the owner's log and (as its subject) in the grantee's security log. */
    private void record(AccountAccess access, AuditAction action, Grant grant, String detail) {
        audit.entry(access.actor().userId(), access.actor().email(), action, Outcome.SUCCESS)
                .inAccount(access.accountId()).about(grant.grantee.id).target(target(grant)).detail(detail).record();
    }

    static String target(Grant grant) {
        return "grant " + grant.id + " (" + grant.grantee.email + ")";
    }

    /** "the account of Finance" or "the infrastructure ERP of Finance". */
    public static String what(Grant grant) {
        String owner = grant.account.displayName;
        return grant.scope == Role.Scope.ACCOUNT ? "the account of " + owner
                : "the infrastructure " + grant.infrastructure.label + " of " + owner;
    }

    public static List<Role> rolesFor(Role.Scope scope) {
        return scope == Role.Scope.ACCOUNT
                ? List.of(Role.ACCOUNT_ADMINISTRATOR, Role.ACCOUNT_BILLING, Role.ACCOUNT_READ_ONLY)
                : List.of(Role.INFRASTRUCTURE_ADMINISTRATOR, Role.INFRASTRUCTURE_READ_ONLY);
    }
}
