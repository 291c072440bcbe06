package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.notification.Notification;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The delegate is told, by mail and in the portal, when their access is revoked, when its role
 * changes, and once when an end date is three days away. The owner's private label never goes
 * with it.
 */
@QuarkusTest
class DelegateNotificationsTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @Inject
    GrantEndingNotices endingNotices;

    @Inject
    TimeSource time;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    @Test
    void aRevokedDelegateIsToldOnceByMailAndInThePortal() {
        User owner = users.active("told-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        User delegate = users.active("told-delegate");
        Browser delegateBrowser = new Browser().signIn(delegate.email, Users.PASSWORD);
        Long grant = grants.share(ownerBrowser, account, delegateBrowser, delegate, Role.ACCOUNT_READ_ONLY);
        mailbox.clear();
        long before = notificationsOf(delegate);

        assertEquals(303, ownerBrowser.post("/accounts/" + account + "/sharing/" + grant + "/revoke", "endEvery", "on")
                .statusCode());

        List<Mail> mails = mailbox.deliverAndRead(delegate.email);
        assertEquals(1, mails.size(), "one mail for the revocation");
        assertTrue(mails.get(0).getSubject().contains("ended"), mails.get(0).getSubject());
        assertTrue(mails.get(0).getText().contains(owner.email), "says who ended it");
        assertEquals(before + 1, notificationsOf(delegate));
        assertTrue(delegateBrowser.get("/notifications").asString().contains("ended your access"));

        // A second click changes nothing and tells nobody again.
        ownerBrowser.post("/accounts/" + account + "/sharing/" + grant + "/revoke", "endEvery", "on");
        assertEquals(1, mailbox.deliverAndRead(delegate.email).size());
    }

    @Test
    void aCancelledInvitationSendsNothing() {
        User owner = users.active("cancel-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        String invitee = Users.uniqueEmail("cancel-invitee");
        Long grant = grants.invite(ownerBrowser, account, invitee, Role.ACCOUNT_READ_ONLY, null);
        assertEquals(1, mailbox.deliverAndRead(invitee).size(), "the invitation");
        mailbox.clear();
        assertEquals(303, ownerBrowser.post("/accounts/" + account + "/sharing/" + grant + "/revoke").statusCode());
        assertEquals(Grant.Status.CANCELLED, Grants.statusOf(grant));
        assertTrue(mailbox.deliverAndRead(invitee).isEmpty(), "the link just stops working");
    }

    @Test
    void aRoleChangeIsToldWithTheOldAndNewRole() {
        User owner = users.active("role-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        User delegate = users.active("role-delegate");
        Browser delegateBrowser = new Browser().signIn(delegate.email, Users.PASSWORD);
        Long grant = grants.share(ownerBrowser, account, delegateBrowser, delegate, Role.ACCOUNT_READ_ONLY);
        mailbox.clear();

        assertEquals(303, ownerBrowser.post("/accounts/" + account + "/sharing/" + grant + "/role", "role",
                Role.ACCOUNT_BILLING.name()).statusCode());

        Mail mail = mailbox.single(delegate.email);
        assertTrue(mail.getText().contains("from Read-only to Billing"), mail.getText());
        assertTrue(delegateBrowser.get("/notifications").asString().contains("from Read-only to Billing"));
    }

    @Test
    void anEndDateThreeDaysAwayIsToldOnceWhateverTheNumberOfRuns() {
        User owner = users.active("ending-owner");
        Long account = accounts.accountOf(owner);
        User soon = users.active("ending-soon");
        User later = users.active("ending-later");
        Long soonGrant = grants.direct(account, soon, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED,
                time.now().plus(Duration.ofDays(2)));
        grants.direct(account, later, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED,
                time.now().plus(Duration.ofDays(5)));

        assertTrue(endingNotices.sendDue() >= 1);
        endingNotices.sendDue();

        Mail mail = mailbox.single(soon.email);
        assertTrue(mail.getSubject().contains("ends on"), mail.getSubject());
        assertTrue(mailbox.deliverAndRead(later.email).isEmpty(), "five days away: not yet");
        assertEquals(1, notificationsOf(soon));
        assertFalse(QuarkusTransaction.requiringNew()
                .call(() -> Grant.<Grant>findById(soonGrant).endingNoticeAt == null));
    }

    private static long notificationsOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> Notification.count("userId", user.id));
    }
}
