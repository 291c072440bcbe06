package io.dap.portal.access;

import java.util.Map;

import io.dap.portal.account.AccountColour;
import io.dap.portal.impersonation.ActiveImpersonation;

/**
 * The outcome of resolving {@code /accounts/{id}} for one actor on one request: which account,
 * whose it is, and what the actor is there. Templates ask it {@code canX()} to hide buttons;
 * resources ask AccessPolicy to require.
 */
public record AccountAccess(Actor actor, Long accountId, String accountName, String colour, Long ownerId,
        String ownerEmail, String ownerName, Role accountRole, Map<Long, Role> infrastructureRoles,
        ActiveImpersonation impersonation) {

    /** The actor impersonates this account's owner on this request (R10). */
    public boolean impersonating() {
        return impersonation != null;
    }

    public boolean isOwner() {
        return accountRole == Role.OWNER;
    }

    /** The actor's own account (as opposed to one shared with them). */
    public boolean isOwn() {
        return actor.userId().equals(ownerId);
    }

    public String path() {
        return "/accounts/" + accountId;
    }

    public String colourClass() {
        return AccountColour.of(colour).cssClass();
    }

    public String infrastructuresPath() {
        return path() + "/infrastructures";
    }

    /** The role that applies to one infrastructure: the account-wide role, else a grant on that infrastructure. */
    public Role roleFor(Long infrastructureId) {
        return accountRole != null ? accountRole : infrastructureRoles.get(infrastructureId);
    }

    /** Account-wide actions. */
    public boolean can(Action action) {
        if (accountRole != null) {
            return impersonating() ? Permissions.allowsWhileImpersonating(accountRole, action)
                    : Permissions.allows(accountRole, action);
        }
        // Infrastructure delegates only ever list (their own) infrastructures account-wide.
        return action == Action.VIEW_INFRASTRUCTURES && !infrastructureRoles.isEmpty();
    }

    public boolean can(Action action, Long infrastructureId) {
        return Permissions.allows(roleFor(infrastructureId), action);
    }

    public String roleLabel() {
        return accountRole != null ? accountRole.label() : "Infrastructure delegate";
    }

    // For templates (type-safe, no strings)

    public boolean canCreateInfrastructure() {
        return can(Action.CREATE_INFRASTRUCTURE);
    }

    public boolean canViewUsage() {
        return can(Action.VIEW_USAGE);
    }

    public boolean canViewBilling() {
        return can(Action.VIEW_BILLING);
    }

    public boolean canManageBilling() {
        return can(Action.MANAGE_BILLING);
    }

    public boolean canViewAuditLog() {
        return can(Action.VIEW_AUDIT_LOG);
    }

    public boolean canViewInvoices() {
        return can(Action.VIEW_INVOICES);
    }

    public boolean canImpersonateOwner() {
        return can(Action.IMPERSONATE_OWNER) && !impersonating();
    }

    public String impersonationPath() {
        return path() + "/impersonation";
    }

    public boolean canEditInfrastructure(Long infrastructureId) {
        return can(Action.EDIT_INFRASTRUCTURE, infrastructureId);
    }

    public boolean canDeleteInfrastructure(Long infrastructureId) {
        return can(Action.DELETE_INFRASTRUCTURE, infrastructureId);
    }

    public boolean canManageDrives(Long infrastructureId) {
        return can(Action.MANAGE_DRIVES, infrastructureId);
    }

    public boolean canDeploy(Long infrastructureId) {
        return can(Action.DEPLOY, infrastructureId);
    }
}
