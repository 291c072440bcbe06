package io.dap.portal.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.TimeSource;
import io.quarkus.security.ForbiddenException;

/**
 * The single place that answers "may this actor do this action on this target?" (DESIGN §4).
 * A target the actor cannot see is not found, exactly like a missing one; a visible target the
 * actor's role cannot change is forbidden (R15). Rights are read from the database on every
 * request, never kept in the session (R9). Every refusal is announced
 * as an {@link AccessRefused} event, which the audit log records (R13).
 */
@ApplicationScoped
public class AccessPolicy {

    @Inject
    CurrentUser currentUser;

    @Inject
    ActingAccount acting;

    @Inject
    Event<AccessRefused> refusals;

    @Inject
    TimeSource time;

    @Inject
    Event<AccountOpened> opened;

    @Inject
    AuditContext auditContext;

    @Inject
    ApiCaller apiCaller;

    @Inject
    @Any
    Instance<AccountCondition> conditions;

    public Actor actor() {
        SessionUser user = currentUser.get();
        return new Actor(user.userId(), user.email(), user.displayName());
    }

    /** Resolves the account of an {@code /accounts/{id}} URL and the actor's role there, or 404. */
    @Transactional
    public AccountAccess requireAccount(String rawAccountId) {
        Actor actor = actor();
        long accountId = Ids.parse(rawAccountId);
        Account account = Account.findWithOwner(accountId).orElse(null);
        // A Restricted API token reaches its one account: any other is as unknown as a missing one (R15).
        if (account == null || !apiCaller.reaches(account.id)) {
            throw notFound(actor, accountId, "account " + accountId);
        }
        Rights rights = rightsOf(actor.userId(), account);
        if (rights.isEmpty()) {
            throw notFound(actor, accountId, "account " + accountId);
        }
        for (AccountCondition condition : conditions) {
            condition.check(account.id, account.displayName, account.owner.id, actor.userId(), actor.email());
        }
        // The session's impersonation counts only here, in the impersonated account, and only while
        // the actor may impersonate its owner (SessionService checked its grant this request).
        ActiveImpersonation impersonation = currentUser.get().impersonation();
        if (impersonation == null || !impersonation.accountId().equals(account.id)
                || !rights.allows(Action.IMPERSONATE_OWNER)) {
            impersonation = null;
        } else {
            auditContext.impersonating(account.id, account.owner.id, account.owner.email);
        }
        AccountAccess access = access(actor, account, rights, impersonation);
        acting.set(access);
        // "Recently used" is what the person opened in a browser, not what their scripts call, nor
        // what support looked at while acting as them (R21).
        opened.fire(new AccountOpened(access, apiCaller.present() || currentUser.get().supportSession()));
        return access;
    }

    /**
     * The actor's access to an account as their grants give it (no impersonation, and before the
     * owner's two-factor requirement, which is about how they signed in), or empty where they have
     * none: what {@link #requireAccount} builds, without recording anything. For services that act
     * for someone outside a request, and for tests of the rules.
     */
    @Transactional
    public Optional<AccountAccess> accessFor(Actor actor, Long accountId) {
        return Account.findWithOwner(accountId).flatMap(account -> {
            Rights rights = rightsOf(actor.userId(), account);
            return rights.isEmpty() ? Optional.empty() : Optional.of(access(actor, account, rights, null));
        });
    }

    private static AccountAccess access(Actor actor, Account account, Rights rights,
            ActiveImpersonation impersonation) {
        return new AccountAccess(actor, account.id, account.displayName, account.colour, account.owner.id,
                account.owner.email, account.owner.displayName, rights, impersonation);
    }

    /**
     * What a user may do in an account right now: everything as its owner, else the union of their
     * live grants there (R16). Only grants of this very account count, so rights never chain
     * through another account (R2). Asks, changes nothing.
     */
    @Transactional
    public Rights rightsOf(Long userId, Long accountId) {
        Account account = Account.findWithOwner(accountId).orElse(null);
        return account == null ? Rights.none() : rightsOf(userId, account);
    }

    private Rights rightsOf(Long userId, Account account) {
        if (account.owner.id.equals(userId)) {
            return Rights.owner();
        }
        Rights rights = Rights.none();
        for (Grant grant : Grant.activeFor(account.id, userId, time.now())) {
            rights = grant.addTo(rights);
        }
        return rights;
    }

    /** An account-wide action: 403 when the role does not allow it. */
    public void require(AccountAccess access, Action action) {
        if (!access.can(action)) {
            throw forbidden(access, action, "account " + access.accountId());
        }
    }

    /**
     * A live infrastructure of the acting account that the actor can see, checked for one action:
     * 404 when it is missing, deleted, in another account or not shared with the actor; 403 when
     * it is visible but the role does not allow the action.
     */
    @Transactional
    public Infrastructure requireInfrastructure(AccountAccess access, String rawInfrastructureId, Action action) {
        long id = Ids.parse(rawInfrastructureId);
        Infrastructure infrastructure = Infrastructure.findLive(access.accountId(), id).orElse(null);
        if (infrastructure == null || !access.sees(infrastructure.id)) {
            throw notFound(access.actor(), access.accountId(), "infrastructure " + id);
        }
        if (!access.can(action, infrastructure.id)) {
            throw forbidden(access, action, "infrastructure " + id);
        }
        return infrastructure;
    }

    /**
     * Users whose SSH keys a drive of this infrastructure receives when provisioned now (R11): the
     * owner, and every holder of a live grant whose role manages that infrastructure's drives —
     * account-wide, or on this very infrastructure (R16: any one such grant is enough).
     */
    @Transactional
    public List<Long> sshKeyHolders(Infrastructure infrastructure) {
        Long ownerId = Account.find("select a.owner.id from Account a where a.id = ?1", infrastructure.account.id)
                .project(Long.class).firstResult();
        // A disabled person's grants give nothing while they are disabled (R21), keys included.
        InList roles = InList.of("role", Permissions.keyCarryingRoles());
        List<Long> delegates = Grant.find("select distinct g.grantee.id from Grant g where g.account.id = :account"
                + " and " + Grant.activeAt("g", ":now") + " and g.role in " + roles.sql()
                + " and (g.infrastructure is null or g.infrastructure.id = :infrastructure) and g.grantee.status <> :disabled"
                + " order by g.grantee.id", roles.parametersWith(Map.of("account", infrastructure.account.id,
                        "now", time.now(), "infrastructure", infrastructure.id, "disabled", User.Status.DISABLED)))
                .project(Long.class).list();
        List<Long> holders = new ArrayList<>();
        holders.add(ownerId);
        delegates.stream().filter(id -> !holders.contains(id)).forEach(holders::add);
        return holders;
    }

    /**
     * Account sharing is the owner's alone (R5); to anyone else the page does not exist. An
     * Administrator impersonating the owner sees that it exists and is refused (R10).
     */
    public void requireManageAccountSharing(AccountAccess access) {
        if (access.impersonating()) {
            throw forbidden(access, Action.MANAGE_ACCOUNT_SHARING, "account sharing " + access.accountId());
        }
        if (!access.can(Action.MANAGE_ACCOUNT_SHARING)) {
            throw notFound(access.actor(), access.accountId(), "account sharing " + access.accountId());
        }
    }

    // Named pairs for the actions resources and templates ask about most.

    public boolean canCreateInfrastructure(AccountAccess access) {
        return access.can(Action.CREATE_INFRASTRUCTURE);
    }

    public void requireCreateInfrastructure(AccountAccess access) {
        require(access, Action.CREATE_INFRASTRUCTURE);
    }

    public boolean canManageBilling(AccountAccess access) {
        return access.can(Action.MANAGE_BILLING);
    }

    public void requireManageBilling(AccountAccess access) {
        require(access, Action.MANAGE_BILLING);
    }

    public boolean canDeploy(AccountAccess access, Infrastructure infrastructure) {
        return access.can(Action.DEPLOY, infrastructure.id);
    }

    public Infrastructure requireDeploy(AccountAccess access, String rawInfrastructureId) {
        return requireInfrastructure(access, rawInfrastructureId, Action.DEPLOY);
    }

    private NotFoundException notFound(Actor actor, Long accountId, String target) {
        refusals.fire(new AccessRefused(actor.userId(), actor.email(), accountId, true, target));
        return new NotFoundException();
    }

    private ForbiddenException forbidden(AccountAccess access, Action action, String target) {
        refusals.fire(new AccessRefused(access.actor().userId(), access.actor().email(), access.accountId(), false,
                target + " (" + action.name() + ")"));
        return new ForbiddenException();
    }
}
