package io.dap.portal.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OutboxTest {

    @Inject
    Mailbox mailbox;

    @Inject
    MockMailbox mockMailbox;

    @Inject
    OutboxSender sender;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
        sender.deliverDue();
        mailbox.clear();
    }

    /** An SMTP server that is down until told otherwise. */
    static class FlakyGateway extends MailGateway {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down = true;

        FlakyGateway(Mailer mailer) {
            this.mailer = mailer;
        }

        @Override
        public void send(OutboxMail mail) {
            calls.incrementAndGet();
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            super.send(mail);
        }
    }

    @Inject
    Mailer mailer;

    @Test
    void aFailingServerNeitherLosesTheMailNorFailsTheRequestAndRecoveryDeliversItOnce() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        FlakyGateway flaky = new FlakyGateway(mailer);
        QuarkusMock.installMockForType(flaky, MailGateway.class);

        String email = Users.uniqueEmail("outbox");
        new Browser().post("/signup", "email", email, "displayName", "Outbox", "password",
                "a long enough passphrase").then().statusCode(303);

        assertEquals(0, sender.deliverDue());
        OutboxMail afterFailure = row(email);
        assertEquals(OutboxMail.Status.PENDING, afterFailure.status);
        assertEquals(1, afterFailure.attempts);
        assertTrue(afterFailure.lastError.contains("connection refused"));
        assertTrue(afterFailure.nextAttemptAt.isAfter(clock.instant()), "backs off before retrying");

        assertEquals(0, sender.deliverDue(), "nothing is retried before the backoff ends");
        assertEquals(1, flaky.calls.get());

        flaky.down = false;
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, sender.deliverDue());
        assertEquals(0, sender.deliverDue());
        assertEquals(1, mockMailbox.getMailsSentTo(email).size(), "delivered exactly once");
        OutboxMail sent = row(email);
        assertEquals(OutboxMail.Status.SENT, sent.status);
        assertNotNull(sent.sentAt);
        assertNull(sent.lastError);
    }

    @Test
    void aMailIsMarkedFailedAfterTheLastAttempt() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        FlakyGateway flaky = new FlakyGateway(mailer);
        QuarkusMock.installMockForType(flaky, MailGateway.class);
        String email = Users.uniqueEmail("failed");
        new Browser().post("/signup", "email", email, "displayName", "Failed", "password",
                "a long enough passphrase");
        for (int i = 1; i <= 8; i++) {
            sender.deliverDue();
            // just past each backoff: well within the life of the activation link the mail carries
            clock.advance(sender.backoff(i).plusSeconds(1));
        }
        OutboxMail row = row(email);
        assertEquals(OutboxMail.Status.FAILED, row.status);
        assertEquals(8, row.attempts);
        sender.deliverDue();
        assertEquals(8, flaky.calls.get(), "a failed mail is not retried forever");
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertEquals(Duration.ofSeconds(30), sender.backoff(1));
        assertEquals(Duration.ofSeconds(60), sender.backoff(2));
        assertEquals(Duration.ofSeconds(120), sender.backoff(3));
        assertEquals(Duration.ofHours(6), sender.backoff(30));
    }

    private static OutboxMail row(String recipient) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMail.<OutboxMail>find("recipient", recipient)
                .firstResult());
    }
}
