package io.dap.portal.access;

import static io.dap.portal.access.Action.CREATE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DELETE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DEPLOY;
import static io.dap.portal.access.Action.EDIT_INFRASTRUCTURE;
import static io.dap.portal.access.Action.IMPERSONATE_OWNER;
import static io.dap.portal.access.Action.MANAGE_ACCOUNT_SHARING;
import static io.dap.portal.access.Action.MANAGE_BILLING;
import static io.dap.portal.access.Action.MANAGE_DRIVES;
import static io.dap.portal.access.Action.SHARE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.VIEW_AUDIT_LOG;
import static io.dap.portal.access.Action.VIEW_BILLING;
import static io.dap.portal.access.Action.VIEW_INFRASTRUCTURE;
import static io.dap.portal.access.Action.VIEW_INFRASTRUCTURES;
import static io.dap.portal.access.Action.VIEW_INVOICES;
import static io.dap.portal.access.Action.VIEW_USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every cell of the roles × actions table (R3, R4, R6), written out independently of Permissions
 * so that a change to the table has to be made twice, on purpose.
 */
class PermissionsTest {

    private static final Map<Role, Set<Action>> EXPECTED = Map.of(
            Role.OWNER, EnumSet.complementOf(EnumSet.of(IMPERSONATE_OWNER)),
            Role.ACCOUNT_ADMINISTRATOR, EnumSet.of(VIEW_INFRASTRUCTURES, CREATE_INFRASTRUCTURE, VIEW_USAGE,
                    VIEW_AUDIT_LOG, VIEW_INFRASTRUCTURE, EDIT_INFRASTRUCTURE, DELETE_INFRASTRUCTURE, MANAGE_DRIVES,
                    DEPLOY, SHARE_INFRASTRUCTURE, IMPERSONATE_OWNER),
            Role.ACCOUNT_BILLING, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE, VIEW_USAGE, VIEW_BILLING,
                    MANAGE_BILLING, VIEW_INVOICES),
            Role.ACCOUNT_READ_ONLY, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE, VIEW_USAGE),
            Role.INFRASTRUCTURE_ADMINISTRATOR, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE, MANAGE_DRIVES,
                    DEPLOY),
            Role.INFRASTRUCTURE_READ_ONLY, EnumSet.of(VIEW_INFRASTRUCTURES, VIEW_INFRASTRUCTURE));

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyCellOfTheTable(Role role) {
        for (Action action : Action.values()) {
            assertEquals(EXPECTED.get(role).contains(action), Permissions.allows(role, action),
                    role + " × " + action);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void onlyTheOwnerManagesAccountSharingAndOnlyOwnerOrAdministratorShares(Role role) {
        assertEquals(role == Role.OWNER, Permissions.allows(role, MANAGE_ACCOUNT_SHARING));
        assertEquals(role == Role.OWNER || role == Role.ACCOUNT_ADMINISTRATOR,
                Permissions.allows(role, SHARE_INFRASTRUCTURE));
    }

    /** R10: only an account Administrator impersonates, and it adds billing and nothing else. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void impersonationAddsBillingToAccountAdministratorsOnly(Role role) {
        assertEquals(role == Role.ACCOUNT_ADMINISTRATOR, Permissions.allows(role, IMPERSONATE_OWNER));
        Set<Action> billing = EnumSet.of(VIEW_BILLING, MANAGE_BILLING, VIEW_INVOICES);
        for (Action action : Action.values()) {
            boolean expected = EXPECTED.get(role).contains(action)
                    || role == Role.ACCOUNT_ADMINISTRATOR && billing.contains(action);
            assertEquals(expected, Permissions.allowsWhileImpersonating(role, action), role + " × " + action);
        }
        assertEquals(false, Permissions.allowsWhileImpersonating(Role.ACCOUNT_ADMINISTRATOR, MANAGE_ACCOUNT_SHARING));
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void sshKeysGoWithTheRightToManageDrives(Role role) {
        assertEquals(role == Role.OWNER || role == Role.ACCOUNT_ADMINISTRATOR
                || role == Role.INFRASTRUCTURE_ADMINISTRATOR, Permissions.carriesSshKeys(role));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void noRoleMeansNothing(Action action) {
        assertEquals(false, Permissions.allows(null, action));
    }
}
