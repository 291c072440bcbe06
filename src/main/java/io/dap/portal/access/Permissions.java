package io.dap.portal.access;

import static io.dap.portal.access.Action.CREATE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DELETE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DEPLOY;
import static io.dap.portal.access.Action.EDIT_INFRASTRUCTURE;
import static io.dap.portal.access.Action.IMPERSONATE_OWNER;
import static io.dap.portal.access.Action.MANAGE_BILLING;
import static io.dap.portal.access.Action.MANAGE_DRIVES;
import static io.dap.portal.access.Action.SHARE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.VIEW_AUDIT_LOG;
import static io.dap.portal.access.Action.VIEW_BILLING;
import static io.dap.portal.access.Action.VIEW_INFRASTRUCTURE;
import static io.dap.portal.access.Action.VIEW_INFRASTRUCTURES;
import static io.dap.portal.access.Action.VIEW_INVOICES;
import static io.dap.portal.access.Action.VIEW_USAGE;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of roles × actions (DESIGN R3, R4, R6). Everything else asks AccessPolicy, which
 * reads this table; tests walk every cell of it.
 */
public final class Permissions {

    private static final Map<Role, Set<Action>> TABLE = new EnumMap<>(Role.class);

    static {
        TABLE.put(Role.OWNER, EnumSet.complementOf(EnumSet.of(IMPERSONATE_OWNER)));
        // R3: everything on infrastructures, nothing of the owner's billing or delegates, except
        // billing through impersonation (R10).
        TABLE.put(Role.ACCOUNT_ADMINISTRATOR, EnumSet.of(VIEW_INFRASTRUCTURES, CREATE_INFRASTRUCTURE, VIEW_USAGE,
                VIEW_AUDIT_LOG, VIEW_INFRASTRUCTURE, EDIT_INFRASTRUCTURE, DELETE_INFRASTRUCTURE, MANAGE_DRIVES, DEPLOY,
                SHARE_INFRASTRUCTURE, IMPERSONATE_OWNER));
        // R6: billing information, invoices and the utilization report; sees, never changes, infrastructures.
        TABLE.put(Role.ACCOUNT_BILLING, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE, VIEW_USAGE,
                VIEW_BILLING, MANAGE_BILLING, VIEW_INVOICES));
        // R6: infrastructures, drives and reports; no change of anything.
        TABLE.put(Role.ACCOUNT_READ_ONLY, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE, VIEW_USAGE));
        // R4: that one infrastructure's drives and deploy; no delete, no further sharing, no billing.
        TABLE.put(Role.INFRASTRUCTURE_ADMINISTRATOR, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE,
                MANAGE_DRIVES, DEPLOY));
        TABLE.put(Role.INFRASTRUCTURE_READ_ONLY, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE));
    }

    private Permissions() {
    }

    /** What impersonating the owner adds to an account Administrator's own rights: billing only (R10). */
    private static final Set<Action> WHILE_IMPERSONATING = EnumSet.of(VIEW_BILLING, MANAGE_BILLING, VIEW_INVOICES);

    public static boolean allows(Role role, Action action) {
        return role != null && TABLE.get(role).contains(action);
    }

    public static boolean allowsWhileImpersonating(Role role, Action action) {
        return allows(role, action) || allows(role, IMPERSONATE_OWNER) && WHILE_IMPERSONATING.contains(action);
    }

    /** Roles that put the holder's SSH keys on newly provisioned drives (R11). */
    public static boolean carriesSshKeys(Role role) {
        return allows(role, MANAGE_DRIVES);
    }

    /** The delegate roles that carry SSH keys, for queries over grants (R11). */
    public static Set<Role> keyCarryingRoles() {
        return delegateRolesAllowing(MANAGE_DRIVES);
    }

    /** The delegate roles (never Owner) whose grant allows this action, for queries over grants. */
    public static Set<Role> delegateRolesAllowing(Action action) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        TABLE.keySet().stream().filter(r -> r != Role.OWNER && allows(r, action)).forEach(roles::add);
        return roles;
    }

    static Set<Action> of(Role role) {
        return EnumSet.copyOf(TABLE.get(role));
    }
}
