package io.dap.portal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

/**
 * Account grants made the real way (the owner invites on the Account sharing page, the invitee
 * accepts through the link in the mail), plus a direct insert for states no flow is under test for.
 */
@ApplicationScoped
public class Grants {

    @Inject
    Mailbox mailbox;

    @Inject
    TimeSource time;

    /** Invites through the owner's Account sharing page; returns the pending grant's id. */
    public Long invite(Browser owner, Long accountId, String email, Role role, String until) {
        String page = "/accounts/" + accountId + "/sharing";
        owner.get(page).then().statusCode(200);
        Response response = owner.post(page + "/invite", "email", email, "role", role.name(), "label", "",
                "until", until == null ? "" : until);
        assertEquals(303, response.statusCode(), "invite of " + email);
        assertTrue(response.header("Location").endsWith(page), response.header("Location"));
        Long id = QuarkusTransaction.requiringNew().call(() -> Grant.find("select g.id from Grant g"
                + " where g.account.id = ?1 and g.grantee.email = ?2 and g.status = ?3 order by g.id desc",
                accountId, email, Grant.Status.PENDING).project(Long.class).firstResult());
        assertNotNull(id, "no pending grant for " + email + ": the invitation was refused");
        return id;
    }

    /** Invites on an infrastructure's Sharing tab and returns the pending grant's id. */
    public Long inviteToInfrastructure(Browser by, Long accountId, Long infrastructureId, String email, Role role,
            String label) {
        String page = "/accounts/" + accountId + "/infrastructures/" + infrastructureId + "/sharing";
        by.get(page).then().statusCode(200);
        Response response = by.post(page + "/invite", "email", email, "role", role.name(), "label", label,
                "until", "");
        assertEquals(303, response.statusCode(), "invite of " + email);
        assertTrue(response.header("Location").endsWith(page), response.header("Location"));
        Long id = QuarkusTransaction.requiringNew().call(() -> Grant.find("select g.id from Grant g"
                + " where g.account.id = ?1 and g.scope = ?2 and g.infrastructure.id = ?3 and g.grantee.email = ?4"
                + " and g.status = ?5 and g.role = ?6", accountId, Role.Scope.INFRASTRUCTURE, infrastructureId,
                email, Grant.Status.PENDING, role).project(Long.class).firstResult());
        assertNotNull(id, "no pending infrastructure grant for " + email + ": the invitation was refused");
        return id;
    }

    /** Invite on the Sharing tab, then accept through the mailed link: an active infrastructure grant. */
    public Long shareInfrastructure(Browser by, Long accountId, Long infrastructureId, Browser invitee, User grantee,
            Role role) {
        Long id = inviteToInfrastructure(by, accountId, infrastructureId, grantee.email, role, "");
        accept(invitee, grantee.email);
        assertEquals(Grant.Status.ACCEPTED, statusOf(id));
        return id;
    }

    /** The path of the newest invitation link mailed to this address. */
    public String invitationLink(String email) {
        List<Mail> mails = mailbox.deliverAndRead(email).stream()
                .filter(m -> m.getText() != null && m.getText().contains("/invitations/")).toList();
        assertTrue(!mails.isEmpty(), "no invitation mail to " + email);
        return Mailbox.linkPath(mails.get(mails.size() - 1), "/invitations/");
    }

    /** Opens the mailed link in the invitee's (signed-in) browser and presses Accept. */
    public void accept(Browser invitee, String email) {
        String link = invitationLink(email);
        invitee.get(link).then().statusCode(200);
        Response response = invitee.post(link + "/accept");
        assertEquals(303, response.statusCode(), "accept by " + email);
        assertTrue(response.header("Location").endsWith("/settings/shared-with-me"), response.header("Location"));
    }

    /** Invite, then accept: an active grant of the account to the invitee; returns its id. */
    public Long share(Browser owner, Long accountId, Browser invitee, User grantee, Role role, String until) {
        Long id = invite(owner, accountId, grantee.email, role, until);
        accept(invitee, grantee.email);
        assertEquals(Grant.Status.ACCEPTED, statusOf(id));
        return id;
    }

    public Long share(Browser owner, Long accountId, Browser invitee, User grantee, Role role) {
        return share(owner, accountId, invitee, grantee, role, null);
    }

    /** An account grant written straight to the database, in any status (revoked, pending, ended…): fast setups. */
    @Transactional
    public Long direct(Long accountId, User grantee, Role role, Grant.Status status, Instant endsAt) {
        if (role.scope() != Role.Scope.ACCOUNT || role == Role.OWNER) {
            throw new IllegalArgumentException("not an account delegate role: " + role);
        }
        Account account = Account.findById(accountId);
        Grant grant = new Grant();
        grant.account = account;
        grant.scope = role.scope();
        grant.grantee = User.findById(grantee.id);
        grant.role = role;
        grant.status = status;
        grant.endsAt = endsAt;
        grant.invitedBy = account.owner;
        grant.invitedAt = time.now();
        grant.respondedAt = status == Grant.Status.PENDING ? null : grant.invitedAt;
        grant.persist();
        return grant.id;
    }

    /** An accepted grant on one infrastructure, written straight to the database. */
    @Transactional
    public Long directOnInfrastructure(Long infrastructureId, User grantee, Role role) {
        if (role.scope() != Role.Scope.INFRASTRUCTURE) {
            throw new IllegalArgumentException("not an infrastructure role: " + role);
        }
        Infrastructure infrastructure = Infrastructure.findById(infrastructureId);
        Grant grant = new Grant();
        grant.account = infrastructure.account;
        grant.scope = role.scope();
        grant.infrastructure = infrastructure;
        grant.grantee = User.findById(grantee.id);
        grant.role = role;
        grant.status = Grant.Status.ACCEPTED;
        grant.invitedBy = infrastructure.account.owner;
        grant.invitedAt = time.now();
        grant.respondedAt = grant.invitedAt;
        grant.persist();
        return grant.id;
    }

    public static Grant.Status statusOf(Long grantId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.<Grant>findById(grantId).status);
    }

    public static Role roleOf(Long grantId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.<Grant>findById(grantId).role);
    }
}
