package io.dap.portal.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No secrets at rest in the outbox: a link's token is stored only until its mail is sent or given
 * up on; a mail whose link expired is never sent late. Subjects are one line that fits its column.
 */
@QuarkusTest
class OutboxLinksTest {

    @Inject
    Mailbox mailbox;

    @Inject
    MockMailbox mockMailbox;

    @Inject
    OutboxSender sender;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    @BeforeEach
    void clear() {
        sender.deliverDue();
        mailbox.clear();
    }

    private static OutboxMail row(String recipient) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMail.<OutboxMail>find("recipient = ?1 order by id desc",
                recipient).firstResult());
    }

    private static String token(Mail mail, String path) {
        String link = Mailbox.linkPath(mail, path);
        return link.substring(link.lastIndexOf('/') + 1);
    }

    @Test
    void aSentMailKeepsItsLinkWithoutTheToken() {
        String email = Users.uniqueEmail("redacted");
        new Browser().post("/signup", "email", email, "displayName", "Redacted", "password",
                "a long enough passphrase").then().statusCode(303);
        assertTrue(row(email).textBody.contains("/activate/"), "queued with its link");
        Mail sent = mailbox.single(email);
        String token = token(sent, "/activate/");
        OutboxMail stored = row(email);
        assertEquals(OutboxMail.Status.SENT, stored.status);
        assertFalse(stored.textBody.contains(token) || stored.htmlBody.contains(token), "the token is gone");
        assertTrue(stored.textBody.contains("/activate/" + Outbox.REDACTED), stored.textBody);
        assertTrue(stored.htmlBody.contains("/activate/" + Outbox.REDACTED));
        // the person's link still works: only the stored copy lost it
        new Browser().get("/activate/" + token).then().statusCode(200);
    }

    @Test
    void aMailGivenUpOnKeepsNoTokenEither() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        QuarkusMock.installMockForType(new OutboxTest.FlakyGateway(null), MailGateway.class);
        String email = Users.uniqueEmail("activation-failing");
        new Browser().post("/signup", "email", email, "displayName", "Failing", "password",
                "a long enough passphrase").then().statusCode(303);
        for (int i = 1; i <= 8; i++) {
            sender.deliverDue();
            clock.advance(sender.backoff(i).plusSeconds(1));
        }
        OutboxMail stored = row(email);
        assertEquals(OutboxMail.Status.FAILED, stored.status);
        assertTrue(stored.lastError.contains("connection refused"), "given up, not expired: " + stored.lastError);
        assertTrue(stored.textBody.contains("/activate/" + Outbox.REDACTED), stored.textBody);
    }

    @Test
    void aMailWhoseLinkExpiredIsNeverSentLate() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("late");
        new Browser().post("/forgot-password", "email", user.email).then().statusCode(303);
        // the reset link lives an hour; the mail server was away for longer
        clock.advance(Duration.ofMinutes(60));
        assertEquals(0, sender.deliverDue());
        assertEquals(List.of(), mailbox.deliverAndRead(user.email), "not sent late");
        OutboxMail stored = row(user.email);
        assertEquals(OutboxMail.Status.FAILED, stored.status);
        assertEquals(OutboxSender.EXPIRED, stored.lastError);
        assertFalse(stored.textBody.matches("(?s).*/reset-password/[A-Za-z0-9_-]{40,}.*"), stored.textBody);

        // an invitation (7 days) a week late, likewise
        User owner = users.active("late-owner");
        String invitee = Users.uniqueEmail("late-invitee");
        new Browser().signIn(owner.email, Users.PASSWORD).post("/accounts/" + accounts.accountOf(owner)
                + "/sharing/invite", "email", invitee, "role", "ACCOUNT_READ_ONLY").then().statusCode(303);
        clock.advance(Duration.ofDays(7));
        assertEquals(List.of(), mailbox.deliverAndRead(invitee));
        assertEquals(OutboxSender.EXPIRED, row(invitee).lastError);
    }

    @Test
    void aMailStillInTimeIsSent() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("in-time");
        new Browser().post("/forgot-password", "email", user.email).then().statusCode(303);
        clock.advance(Duration.ofMinutes(55));
        assertEquals(1, mailbox.deliverAndRead(user.email).size());
    }

    @Test
    void longNamesAndLabelsMakeASubjectThatFitsAndLeavingStillWorks() {
        String longName = "N".repeat(100);
        User owner = users.active(Users.uniqueEmail("long-owner"), "Owner");
        Long account = accounts.accountOf(owner);
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(account).displayName = longName);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "L".repeat(100));
        String longAddress = "d".repeat(40) + "-" + System.nanoTime() + "@" + "sub".repeat(20) + ".example.org";
        User delegate = users.active(longAddress, "Delegate");
        Long grantId = api.infrastructureGrant(infrastructure, delegate, Role.INFRASTRUCTURE_ADMINISTRATOR);
        Browser browser = new Browser().signIn(delegate.email, Users.PASSWORD);
        browser.get("/settings/shared-with-me");
        assertEquals(303, browser.post("/settings/shared-with-me/" + grantId + "/leave").statusCode(),
                "leaving is not a 500");
        Mail told = mailbox.single(owner.email);
        assertTrue(told.getSubject().length() <= Outbox.MAX_SUBJECT, told.getSubject());
        assertTrue(told.getSubject().startsWith(longAddress + " left the infrastructure "), told.getSubject());
        assertTrue(told.getSubject().endsWith("\u2026"), "cut visibly: " + told.getSubject());
    }

    @Test
    void aSubjectIsOneLineThatFitsItsColumn() {
        assertEquals("a b c", Outbox.subject("a\r\nb\u0000\u2028c"));
        assertEquals("plain", Outbox.subject("  plain "));
        String cut = Outbox.subject("x".repeat(254) + "\ud83d\ude80 and more");
        assertEquals(Outbox.MAX_SUBJECT, cut.length());
        assertTrue(cut.endsWith("x\u2026"), "no half of the emoji is kept");
        assertNotNull(Outbox.subject(""));
    }
}
