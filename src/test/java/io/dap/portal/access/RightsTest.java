package io.dap.portal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** R16 grants add up, and R17's "would this grant add anything", on the value AccessPolicy builds. */
class RightsTest {

    private static final Long X = 1L;
    private static final Long Y = 2L;

    @Test
    void anInfrastructureAdministratorGrantAddsToAnAccountReadOnlyGrantOnThatInfrastructureOnly() {
        Rights rights = Rights.none().with(Role.ACCOUNT_READ_ONLY, null).with(Role.INFRASTRUCTURE_ADMINISTRATOR, X);
        assertTrue(rights.allows(Action.MANAGE_DRIVES, X), "R16: the infrastructure role is not hidden");
        assertTrue(rights.allows(Action.DEPLOY, X));
        assertFalse(rights.allows(Action.MANAGE_DRIVES, Y), "the other infrastructure stays read-only");
        assertTrue(rights.allows(Action.VIEW_INFRASTRUCTURE, Y));
        assertFalse(rights.allows(Action.DELETE_INFRASTRUCTURE, X), "R4: never delete through an infrastructure grant");
        assertFalse(rights.allows(Action.SHARE_INFRASTRUCTURE, X), "R4: never share further");
        assertFalse(rights.allows(Action.CREATE_INFRASTRUCTURE));
        assertTrue(rights.sees(Y), "an account-wide role sees every infrastructure");
    }

    @Test
    void billingAndAnInfrastructureGrantGiveBothBillingAndDrives() {
        Rights rights = Rights.none().with(Role.INFRASTRUCTURE_ADMINISTRATOR, X).with(Role.ACCOUNT_BILLING, null);
        assertTrue(rights.allows(Action.MANAGE_BILLING));
        assertTrue(rights.allows(Action.MANAGE_DRIVES, X));
        assertFalse(rights.allows(Action.MANAGE_DRIVES, Y));
        assertEquals(Role.ACCOUNT_BILLING, rights.accountRole());
        assertEquals(Map.of(X, Role.INFRASTRUCTURE_ADMINISTRATOR), rights.addedInfrastructureRoles());
        assertEquals("Billing + 1 infrastructure", rights.label());
    }

    @Test
    void infrastructureGrantsAloneSeeOnlyTheirInfrastructures() {
        Rights rights = Rights.none().with(Role.INFRASTRUCTURE_READ_ONLY, X);
        assertTrue(rights.sees(X));
        assertFalse(rights.sees(Y));
        assertTrue(rights.allows(Action.VIEW_INFRASTRUCTURES));
        assertFalse(rights.allows(Action.VIEW_USAGE));
        assertEquals("Infrastructure delegate", rights.label());
        assertFalse(Rights.none().allows(Action.VIEW_INFRASTRUCTURES));
        assertTrue(Rights.none().isEmpty());
    }

    @Test
    void impersonationAddsBillingToAnAccountAdministratorAndToNobodyElse() {
        Rights admin = Rights.none().with(Role.ACCOUNT_ADMINISTRATOR, null);
        assertFalse(admin.allows(Action.MANAGE_BILLING));
        assertTrue(admin.allowsWhileImpersonating(Action.MANAGE_BILLING));
        assertFalse(admin.allowsWhileImpersonating(Action.MANAGE_ACCOUNT_SHARING));
        Rights infrastructureAdmin = Rights.none().with(Role.INFRASTRUCTURE_ADMINISTRATOR, X);
        assertFalse(infrastructureAdmin.allowsWhileImpersonating(Action.MANAGE_BILLING));
        assertFalse(infrastructureAdmin.allows(Action.IMPERSONATE_OWNER));
        assertFalse(Rights.owner().allows(Action.IMPERSONATE_OWNER), "the owner has no one to impersonate");
    }

    @Test
    void aGrantIsCoveredOnlyWhenEveryRightItGivesIsAlreadyThere() {
        Rights admin = Rights.none().with(Role.ACCOUNT_ADMINISTRATOR, null);
        assertTrue(admin.covers(Role.INFRASTRUCTURE_ADMINISTRATOR, X));
        assertTrue(admin.covers(Role.ACCOUNT_READ_ONLY, null));
        assertFalse(admin.covers(Role.ACCOUNT_BILLING, null), "billing is not an Administrator's");
        Rights readOnly = Rights.none().with(Role.ACCOUNT_READ_ONLY, null);
        assertTrue(readOnly.covers(Role.INFRASTRUCTURE_READ_ONLY, X));
        assertFalse(readOnly.covers(Role.INFRASTRUCTURE_ADMINISTRATOR, X));
        Rights oneInfrastructure = Rights.none().with(Role.INFRASTRUCTURE_ADMINISTRATOR, X);
        assertTrue(oneInfrastructure.covers(Role.INFRASTRUCTURE_READ_ONLY, X));
        assertFalse(oneInfrastructure.covers(Role.INFRASTRUCTURE_READ_ONLY, Y));
        assertFalse(oneInfrastructure.covers(Role.ACCOUNT_READ_ONLY, null),
                "an account grant reaches future infrastructures: infrastructure grants never cover it");
        assertTrue(Rights.owner().covers(Role.ACCOUNT_BILLING, null));
        assertTrue(Rights.owner().covers(Role.INFRASTRUCTURE_ADMINISTRATOR, X));
        assertFalse(Rights.none().covers(Role.INFRASTRUCTURE_READ_ONLY, X));
    }

    @Test
    void aRoleOfTheWrongScopeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> Rights.none().with(Role.ACCOUNT_BILLING, X));
        assertThrows(IllegalArgumentException.class, () -> Rights.none().with(Role.INFRASTRUCTURE_READ_ONLY, null));
    }
}
