package io.dap.portal.access;

import static io.dap.portal.access.Action.CREATE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DELETE_INFRASTRUCTURE;
import static io.dap.portal.access.Action.DEPLOY;
import static io.dap.portal.access.Action.EDIT_INFRASTRUCTURE;
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
            Role.OWNER, EnumSet.allOf(Action.class),
            Role.ACCOUNT_ADMINISTRATOR, EnumSet.of(VIEW_INFRASTRUCTURES, CREATE_INFRASTRUCTURE, VIEW_USAGE,
                    VIEW_AUDIT_LOG, VIEW_INFRASTRUCTURE, EDIT_INFRASTRUCTURE, DELETE_INFRASTRUCTURE, MANAGE_DRIVES,
                    DEPLOY, SHARE_INFRASTRUCTURE),
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
