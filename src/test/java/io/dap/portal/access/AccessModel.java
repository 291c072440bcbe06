package io.dap.portal.access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tiny reference model of who may do what, written from the product's rules and nothing else
 * (it does not read Permissions, Rights or any service): owners, live grants, rights as the union
 * of live grants (R16), one-way and not transitive (R1, R2, by construction: only grants of the
 * account itself count), delegates never above the owner, only the owner manages account sharing
 * (R5), infrastructure sharing by the owner and account Administrators, the R17 refusals, and the
 * SSH-key holders of R11. The property test drives the real services and compares.
 */
final class AccessModel {

    enum Status { PENDING, ACCEPTED, DECLINED, CANCELLED, REVOKED, LEFT }

    static final Set<Action> INFRASTRUCTURE_ACTIONS = EnumSet.of(Action.VIEW_INFRASTRUCTURE,
            Action.EDIT_INFRASTRUCTURE, Action.DELETE_INFRASTRUCTURE, Action.MANAGE_DRIVES, Action.DEPLOY,
            Action.SHARE_INFRASTRUCTURE);
    static final Set<Action> ACCOUNT_ACTIONS = EnumSet.complementOf(EnumSet.copyOf(INFRASTRUCTURE_ACTIONS));

    /** What a role gives account-wide, and on the infrastructures it covers (DESIGN R3, R4, R6, R10). */
    record Gives(Set<Action> accountWide, Set<Action> onInfrastructure) {
    }

    static final Map<Role, Gives> ROLES = Map.of(
            Role.OWNER, new Gives(EnumSet.complementOf(EnumSet.of(Action.IMPERSONATE_OWNER)),
                    INFRASTRUCTURE_ACTIONS),
            Role.ACCOUNT_ADMINISTRATOR, new Gives(EnumSet.of(Action.VIEW_INFRASTRUCTURES,
                    Action.CREATE_INFRASTRUCTURE, Action.VIEW_USAGE, Action.VIEW_AUDIT_LOG, Action.IMPERSONATE_OWNER),
                    INFRASTRUCTURE_ACTIONS),
            Role.ACCOUNT_BILLING, new Gives(EnumSet.of(Action.VIEW_INFRASTRUCTURES, Action.VIEW_USAGE,
                    Action.VIEW_BILLING, Action.MANAGE_BILLING, Action.VIEW_INVOICES),
                    EnumSet.of(Action.VIEW_INFRASTRUCTURE)),
            Role.ACCOUNT_READ_ONLY, new Gives(EnumSet.of(Action.VIEW_INFRASTRUCTURES, Action.VIEW_USAGE),
                    EnumSet.of(Action.VIEW_INFRASTRUCTURE)),
            Role.INFRASTRUCTURE_ADMINISTRATOR, new Gives(EnumSet.of(Action.VIEW_INFRASTRUCTURES),
                    EnumSet.of(Action.VIEW_INFRASTRUCTURE, Action.MANAGE_DRIVES, Action.DEPLOY)),
            Role.INFRASTRUCTURE_READ_ONLY, new Gives(EnumSet.of(Action.VIEW_INFRASTRUCTURES),
                    EnumSet.of(Action.VIEW_INFRASTRUCTURE)));

    static final class G {
        final long id;
        final int account;
        final Long infrastructure;
        final int grantee;
        Role role;
        Status status = Status.PENDING;
        final Instant endsAt;
        Instant invitationExpires;

        G(long id, int account, Long infrastructure, int grantee, Role role, Instant endsAt, Instant invitationExpires) {
            this.id = id;
            this.account = account;
            this.infrastructure = infrastructure;
            this.grantee = grantee;
            this.role = role;
            this.endsAt = endsAt;
            this.invitationExpires = invitationExpires;
        }

        boolean live(Instant now) {
            return status == Status.ACCEPTED && (endsAt == null || now.isBefore(endsAt));
        }

        boolean open() {
            return status == Status.PENDING || status == Status.ACCEPTED;
        }
    }

    final int[] owners;
    final List<List<Long>> infrastructures = new ArrayList<>();
    final List<G> grants = new ArrayList<>();
    final Duration invitationTtl;
    Instant now;

    /** {@code owners[a]}: the person owning account a. */
    AccessModel(int[] owners, Duration invitationTtl, Instant now) {
        this.owners = owners;
        this.invitationTtl = invitationTtl;
        this.now = now;
        for (int i = 0; i < owners.length; i++) {
            infrastructures.add(new ArrayList<>());
        }
    }

    private List<G> liveGrants(int person, int account) {
        return grants.stream().filter(g -> g.grantee == person && g.account == account && g.live(now)).toList();
    }

    boolean hasAnything(int person, int account) {
        return owners[account] == person || !liveGrants(person, account).isEmpty();
    }

    boolean allows(int person, int account, Action action) {
        if (owners[account] == person) {
            return ROLES.get(Role.OWNER).accountWide().contains(action);
        }
        return liveGrants(person, account).stream().anyMatch(g -> ROLES.get(g.role).accountWide().contains(action));
    }

    boolean allows(int person, int account, Action action, Long infrastructure) {
        if (owners[account] == person) {
            return true;
        }
        return liveGrants(person, account).stream()
                .filter(g -> g.infrastructure == null || g.infrastructure.equals(infrastructure))
                .anyMatch(g -> ROLES.get(g.role).onInfrastructure().contains(action));
    }

    boolean sees(int person, int account, Long infrastructure) {
        return owners[account] == person || liveGrants(person, account).stream()
                .anyMatch(g -> g.infrastructure == null || g.infrastructure.equals(infrastructure));
    }

    /** R11: the owner and whoever may manage the infrastructure's drives now. */
    Set<Integer> keyHolders(int account, Long infrastructure, int people) {
        Set<Integer> holders = new TreeSet<>();
        for (int person = 0; person < people; person++) {
            if (allows(person, account, Action.MANAGE_DRIVES, infrastructure)) {
                holders.add(person);
            }
        }
        return holders;
    }

    /** Who may manage a grant: account grants the owner alone (R5), infrastructure grants whoever may share it. */
    boolean mayManage(int actor, G grant) {
        return grant.infrastructure == null ? owners[grant.account] == actor
                : sees(actor, grant.account, grant.infrastructure)
                        && allows(actor, grant.account, Action.SHARE_INFRASTRUCTURE, grant.infrastructure);
    }

    /** May the actor reach the sharing of this target at all (the page exists for them)? */
    boolean mayInvite(int actor, int account, Long infrastructure) {
        return infrastructure == null ? owners[account] == actor
                : sees(actor, account, infrastructure)
                        && allows(actor, account, Action.SHARE_INFRASTRUCTURE, infrastructure);
    }

    /** R17: would the grant add nothing to the person's live rights where it applies? */
    boolean covered(int person, int account, Long infrastructure, Role role) {
        Gives gives = ROLES.get(role);
        if (infrastructure == null) {
            // Account-wide grants reach future infrastructures: only account-wide access covers them.
            List<Role> accountRoles = liveGrants(person, account).stream().filter(g -> g.infrastructure == null)
                    .map(g -> g.role).toList();
            return gives.accountWide().stream()
                    .allMatch(a -> accountRoles.stream().anyMatch(r -> ROLES.get(r).accountWide().contains(a)))
                    && gives.onInfrastructure().stream().allMatch(
                            a -> accountRoles.stream().anyMatch(r -> ROLES.get(r).onInfrastructure().contains(a)));
        }
        return gives.accountWide().stream().allMatch(a -> allows(person, account, a))
                && gives.onInfrastructure().stream().allMatch(a -> allows(person, account, a, infrastructure));
    }

    /** Someone holds a live account-wide grant and a live infrastructure grant in the same account. */
    boolean someoneHoldsBothScopes() {
        return grants.stream().anyMatch(a -> a.infrastructure == null && a.live(now) && grants.stream().anyMatch(
                i -> i.infrastructure != null && i.live(now) && i.grantee == a.grantee && i.account == a.account));
    }

    /** The outcome the model expects of an invitation. */
    enum InviteOutcome { NOT_FOUND, REFUSED, INVITED }

    InviteOutcome invite(int actor, int account, Long infrastructure, int invitee, Role role) {
        if (!hasAnything(actor, account) || !mayInvite(actor, account, infrastructure)) {
            return InviteOutcome.NOT_FOUND;
        }
        if (invitee == actor || invitee == owners[account]) {
            return InviteOutcome.REFUSED;
        }
        boolean standing = grants.stream().anyMatch(g -> g.grantee == invitee && g.account == account
                && java.util.Objects.equals(g.infrastructure, infrastructure)
                && (g.status == Status.PENDING || g.live(now)));
        if (standing || covered(invitee, account, infrastructure, role)) {
            return InviteOutcome.REFUSED;
        }
        return InviteOutcome.INVITED;
    }

    void invited(long id, int account, Long infrastructure, int invitee, Role role, Instant endsAt) {
        grants.add(new G(id, account, infrastructure, invitee, role, endsAt, now.plus(invitationTtl)));
    }

    /** An answer by the invited person: only a pending grant with a usable invitation. */
    boolean answerable(G grant) {
        return grant.status == Status.PENDING && now.isBefore(grant.invitationExpires);
    }

    /** Revocation (R9, R17): the grant, and with endEvery the person's other open grants the actor may manage. */
    List<G> revoke(int actor, G grant, boolean endEvery) {
        List<G> ended = new ArrayList<>();
        if (!grant.open()) {
            return ended;
        }
        ended.add(grant);
        if (endEvery) {
            grants.stream().filter(g -> g != grant && g.grantee == grant.grantee && g.account == grant.account
                    && g.open() && mayManage(actor, g)).forEach(ended::add);
        }
        ended.forEach(g -> g.status = g.status == Status.ACCEPTED ? Status.REVOKED : Status.CANCELLED);
        return ended;
    }
}
