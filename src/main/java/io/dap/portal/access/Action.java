package io.dap.portal.access;

/** Everything AccessPolicy decides on. Account-wide actions, then actions on one infrastructure. */
public enum Action {
    // account-wide
    VIEW_INFRASTRUCTURES,
    CREATE_INFRASTRUCTURE,
    VIEW_USAGE,
    VIEW_BILLING,
    MANAGE_BILLING,
    VIEW_INVOICES,
    MANAGE_ACCOUNT_SHARING,
    VIEW_AUDIT_LOG,
    /** R10: act as the owner for billing; account Administrators only, never the owner. */
    IMPERSONATE_OWNER,
    // one infrastructure
    VIEW_INFRASTRUCTURE,
    EDIT_INFRASTRUCTURE,
    DELETE_INFRASTRUCTURE,
    MANAGE_DRIVES,
    DEPLOY,
    SHARE_INFRASTRUCTURE
}
