package io.dap.portal.user;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.session.LoginService;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Invitations;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.Users;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Changing one's address: a link to the new address proves it, the old address is told, all of it
 * audited; invitations waiting for an address follow whoever proves it, and only then.
 */
@QuarkusTest
class EmailChangeTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Invitations invitations;

    @Inject
    Mailbox mailbox;

    @Inject
    LoginService logins;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void theNewAddressIsProvedByItsLinkTheOldOneIsToldAndNothingChangesBefore() {
        User user = users.active("moving");
        String next = Users.uniqueEmail("moved");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/profile").then().body(containsString("Change your email address"));

        Response wrong = browser.post("/settings/email", "newEmail", next, "password", "not my password at all");
        browser.follow(wrong).then().body(containsString("id=\"f-password-error\"")).body(containsString(next));
        assertTrue(mailbox.deliverAndRead(next).isEmpty());
        assertTrue(audit(user, AuditAction.LOGIN_FAILED).stream()
                .anyMatch(e -> "wrong password to change the email address".equals(e.detail)));
        browser.follow(browser.post("/settings/email", "newEmail", user.email, "password", Users.PASSWORD))
                .then().body(containsString("This is already your address"));

        Response asked = browser.post("/settings/email", "newEmail", " " + next.toUpperCase() + " ", "password",
                Users.PASSWORD);
        asked.then().statusCode(303).header("Location", endsWith("/settings/profile"));
        browser.follow(asked).then().body(containsString("We sent a link to " + next));
        Mail link = mailbox.single(next);
        assertEquals("Confirm your new portal address", link.getSubject());
        Mail notice = mailbox.single(user.email);
        assertTrue(notice.getText().contains(next), notice.getText());
        assertEquals(user.email, stored(user).email, "nothing changes before the link is followed");
        assertEquals(1, audit(user, AuditAction.EMAIL_CHANGE_REQUESTED).size());

        String path = Mailbox.linkPath(link, "/settings/email/confirm/");
        // Only the person who asked, signed in, can use it.
        Browser anonymous = new Browser();
        anonymous.get(path).then().statusCode(303).header("Location", containsString("/login?next="));
        User other = users.active("else");
        Browser someoneElse = new Browser().signIn(other.email, Users.PASSWORD);
        someoneElse.get(path).then().statusCode(404);
        RefusalMark mark = RefusalMark.now();
        someoneElse.post(path).then().statusCode(404);
        assertEquals(1, mark.since(other.id, AuditAction.ACCESS_NOT_FOUND.name(), "email change link"));
        browser.get(path).then().statusCode(200).body(containsString("Use " + next));
        assertEquals(user.email, stored(user).email, "the GET changes nothing");

        mailbox.clear();
        Response confirmed = browser.post(path);
        confirmed.then().statusCode(303).header("Location", endsWith("/settings/profile"));
        browser.follow(confirmed).then().body(containsString("Your address is now " + next));
        assertEquals(next, stored(user).email);
        assertTrue(mailbox.single(user.email).getText().contains("now uses " + next));
        assertEquals(1, audit(user, AuditAction.EMAIL_CHANGED).size());
        browser.post(path).then().statusCode(404);

        new Browser().signIn(next, Users.PASSWORD);
        assertTrue(logins.attempt(user.email, Users.PASSWORD, "203.0.113.77") instanceof LoginService.BadCredentials);
    }

    @Test
    void anAddressThatGotAnAccountMeanwhileIsNotTakenOver() {
        User user = users.active("late-mover");
        String next = Users.uniqueEmail("claimed");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/profile");
        browser.post("/settings/email", "newEmail", next, "password", Users.PASSWORD);
        String path = Mailbox.linkPath(mailbox.single(next), "/settings/email/confirm/");
        users.active(next, "Claimed Meanwhile");
        browser.get(path);
        browser.post(path).then().statusCode(409).body(containsString("Another account uses " + next));
        assertEquals(user.email, stored(user).email);
    }

    @Test
    void anAddressWithAnAccountOfItsOwnGetsANoteNotALinkAndTheAnswerIsTheSame() {
        User user = users.active("grabber");
        User taken = users.active("taken");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/profile");
        Response asked = browser.post("/settings/email", "newEmail", taken.email, "password", Users.PASSWORD);
        asked.then().statusCode(303);
        browser.follow(asked).then().body(containsString("We sent a link to " + taken.email));
        Mail note = mailbox.single(taken.email);
        assertEquals("Someone tried to use your address", note.getSubject());
        assertTrue(!note.getText().contains("/settings/email/confirm/"));
        assertEquals(user.email, stored(user).email);
    }

    @Test
    void invitationsWaitingForAnAddressFollowWhoeverProvesItAndOnlyThen() {
        User owner = users.active("inviter");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Long account = accounts.accountOf(owner);
        String address = Users.uniqueEmail("new-address");
        Long grant = grants.invite(ownerBrowser, account, address, Role.ACCOUNT_READ_ONLY, null);
        Long placeholder = invitations.user(address).id;

        User mover = users.active("mover");
        Browser browser = new Browser().signIn(mover.email, Users.PASSWORD);
        browser.get("/settings/profile");
        browser.post("/settings/email", "newEmail", address, "password", Users.PASSWORD);
        String path = Mailbox.linkPath(mailbox.deliverAndRead(address).stream()
                .filter(m -> m.getText().contains("/settings/email/confirm/")).findFirst().orElseThrow(),
                "/settings/email/confirm/");
        // Asked, not proved: the invitation still waits for the address, not for the mover.
        assertEquals(placeholder, invitations.grantTo(account, address).granteeId());
        browser.get("/settings/shared-with-me").then().body(containsString("No invitation is waiting"));

        browser.post(path).then().statusCode(303);
        Invitations.GrantState moved = invitations.grant(grant);
        assertEquals(mover.id, moved.granteeId());
        assertEquals(Grant.Status.PENDING, moved.status());
        assertEquals(address, stored(mover).email);
        browser.get("/settings/shared-with-me").then().body(containsString("/settings/shared-with-me/" + grant + "/accept"));
        assertEquals(303, browser.post("/settings/shared-with-me/" + grant + "/accept").statusCode());
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(grant));
        User retired = QuarkusTransaction.requiringNew().call(() -> User.<User>findById(placeholder));
        assertEquals(User.Status.DISABLED, retired.status);
        assertEquals(1, invitations.usersWithEmail(address));
    }

    private static User stored(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id));
    }

    private static List<AuditEvent> audit(User user, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("userId = ?1 and action = ?2",
                user.id, action.name()));
    }
}
