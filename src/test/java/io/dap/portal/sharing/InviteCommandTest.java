package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Actor;
import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The service checks its command whatever the caller (R17's grants start here): an invitation the
 * forms would refuse — wrong role for the scope, an infrastructure grant without its
 * infrastructure, no address, a two-line label, a label too long — fails before anything is
 * written, and a good one goes through.
 */
@QuarkusTest
class InviteCommandTest {

    @Inject
    GrantLifecycle lifecycle;

    @Inject
    AccessPolicy policy;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Test
    void aCommandTheFormsWouldRefuseWritesNothing() {
        User owner = users.active("command-owner");
        Long accountId = accounts.accountOf(owner);
        Long infrastructureId = accounts.infrastructure(accountId, owner, "Command X").id;
        AccountAccess access = QuarkusTransaction.requiringNew().call(() -> policy.accessFor(
                new Actor(owner.id, owner.email, owner.displayName), accountId).orElseThrow());
        String email = Users.uniqueEmail("command-invitee");

        List<Invite> refused = List.of(
                new Invite(Role.Scope.ACCOUNT, null, email, Role.INFRASTRUCTURE_ADMINISTRATOR, null, null),
                new Invite(Role.Scope.ACCOUNT, null, email, Role.OWNER, null, null),
                new Invite(Role.Scope.INFRASTRUCTURE, null, email, Role.INFRASTRUCTURE_READ_ONLY, null, null),
                new Invite(Role.Scope.ACCOUNT, infrastructureId, email, Role.ACCOUNT_READ_ONLY, null, null),
                new Invite(Role.Scope.ACCOUNT, null, "", Role.ACCOUNT_READ_ONLY, null, null),
                new Invite(Role.Scope.ACCOUNT, null, "not an address", Role.ACCOUNT_READ_ONLY, null, null),
                new Invite(Role.Scope.ACCOUNT, null, email, null, null, null),
                new Invite(null, null, email, Role.ACCOUNT_READ_ONLY, null, null),
                new Invite(Role.Scope.ACCOUNT, null, email, Role.ACCOUNT_READ_ONLY, "two\nlines", null),
                new Invite(Role.Scope.ACCOUNT, null, email, Role.ACCOUNT_READ_ONLY, "x".repeat(101), null));
        for (Invite invite : refused) {
            ConstraintViolationException e = assertThrows(ConstraintViolationException.class,
                    () -> lifecycle.invite(access, invite), invite.toString());
            assertFalse(e.getConstraintViolations().isEmpty(), invite.toString());
        }
        assertEquals(0, grantsIn(accountId), "no grant written");
        assertFalse(QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email).isPresent()),
                "no user made up for the address");

        GrantLifecycle.InviteResult invited = lifecycle.invite(access,
                new Invite(Role.Scope.INFRASTRUCTURE, infrastructureId, email, Role.INFRASTRUCTURE_READ_ONLY,
                        "Contractors", null));
        assertInstanceOf(GrantLifecycle.Invited.class, invited);
        assertEquals(1, grantsIn(accountId));
        assertTrue(QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email).isPresent()));
    }

    private static long grantsIn(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.count("account.id", accountId));
    }
}
