package io.dap.portal.access;

import io.dap.portal.account.AccountColour;

/**
 * The outcome of resolving {@code /accounts/{id}} for one actor on one request: which account,
 * whose it is, and what the actor may do there (the union of their live grants, R16). Templates
 * ask it {@code canX()} to hide buttons; resources ask AccessPolicy to require.
 */
public record AccountAccess(Actor actor, Long accountId, String accountName, String colour, Long ownerId,
        String ownerEmail, String ownerName, Rights rights, ActiveImpersonation impersonation) {

    /** The actor impersonates this account's owner on this request (R10). */
    public boolean impersonating() {
        return impersonation != null;
    }

    public boolean isOwner() {
        return rights.isOwner();
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

    /** The infrastructure is in view: an account-wide role, or a grant on it. */
    public boolean sees(Long infrastructureId) {
        return rights.sees(infrastructureId);
    }

    /** Account-wide actions. */
    public boolean can(Action action) {
        return impersonating() ? rights.allowsWhileImpersonating(action) : rights.allows(action);
    }

    public boolean can(Action action, Long infrastructureId) {
        return rights.allows(action, infrastructureId);
    }

    public String roleLabel() {
        return rights.label();
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
