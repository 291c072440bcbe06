package io.dap.portal.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.dap.portal.web.PortalConfig;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers queued mail with retries and exponential backoff. Each row is claimed by a conditional
 * update first, so several instances sharing the database never send the same mail twice; a crash
 * between sending and recording makes the claim lapse and the mail go out again (at least once).
 * An instance that is stopped (SIGTERM) claims nothing more and records the mail in hand before the
 * database goes away, so a rolling restart neither loses nor repeats a mail.
 */
@ApplicationScoped
public class OutboxSender {

    private static final Logger LOG = Logger.getLogger(OutboxSender.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(6);
    /** How long a stopping instance waits for the mail in hand; a send that hangs longer is retried elsewhere. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** Held from the claim of one mail to the record of its outcome. */
    private final ReentrantLock inHand = new ReentrantLock();
    private volatile boolean stopping;

    /** A link that would arrive dead, or nearly so, is not sent at all. */
    static final Duration LINK_MARGIN = Duration.ofMinutes(1);
    static final String EXPIRED = "Not sent: its link expired before it could be delivered.";

    @Inject
    MailGateway gateway;

    @Inject
    TimeSource time;

    @Inject
    PortalConfig config;

    @Inject
    Outbox outbox;

    @Scheduled(every = "${portal.mail.outbox.interval}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        deliverDue();
    }

    /** Sends what is due now; returns how many mails went out. */
    public int deliverDue() {
        Instant now = time.now();
        List<Long> due = QuarkusTransaction.requiringNew()
                .call(() -> OutboxMail.dueIds(now, config.mail().outbox().batchSize()));
        int sent = 0;
        for (Long id : due) {
            if (stopping) {
                break;
            }
            if (deliver(id)) {
                sent++;
            }
        }
        return sent;
    }

    /** Runs before the datasource closes: no new claim from here on, and the mail in hand gets recorded. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        try {
            if (inHand.tryLock(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                inHand.unlock();
            } else {
                LOG.warn("Stopped while a mail was still being sent; its claim lapses and another instance retries it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean deliver(Long id) {
        inHand.lock();
        try {
            return !stopping && claimSendRecord(id);
        } finally {
            inHand.unlock();
        }
    }

    private boolean claimSendRecord(Long id) {
        Instant now = time.now();
        Instant until = now.plus(config.mail().outbox().claimTimeout());
        boolean claimed = QuarkusTransaction.requiringNew().call(() -> OutboxMail.claim(id, now, until));
        if (!claimed) {
            return false;
        }
        OutboxMail mail = QuarkusTransaction.requiringNew().call(() -> OutboxMail.<OutboxMail>findById(id));
        if (mail.linkExpiresAt != null && !now.plus(LINK_MARGIN).isBefore(mail.linkExpiresAt)) {
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxMail row = OutboxMail.findById(id);
                row.status = OutboxMail.Status.FAILED;
                row.claimedUntil = null;
                row.lastError = EXPIRED;
                redact(row);
            });
            LOG.infof("Mail %d (%s) dropped: its link expired before delivery", id, mail.template);
            return false;
        }
        try {
            gateway.send(mail);
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> recordFailure(id, e));
            return false;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxMail row = OutboxMail.findById(id);
            row.status = OutboxMail.Status.SENT;
            row.attempts++;
            row.sentAt = time.now();
            row.claimedUntil = null;
            row.lastError = null;
            redact(row);
        });
        return true;
    }

    /** Once a mail is done with (sent or given up on), its link's token is not kept. */
    private void redact(OutboxMail row) {
        row.textBody = outbox.redact(row.textBody);
        row.htmlBody = outbox.redact(row.htmlBody);
    }

    private void recordFailure(Long id, RuntimeException e) {
        OutboxMail row = OutboxMail.findById(id);
        row.attempts++;
        row.claimedUntil = null;
        row.lastError = describe(e);
        if (row.attempts >= config.mail().outbox().maxAttempts()) {
            row.status = OutboxMail.Status.FAILED;
            redact(row);
            LOG.warnf("Gave up on mail %d (%s) after %d attempts: %s", id, row.template, row.attempts, row.lastError);
        } else {
            row.nextAttemptAt = time.now().plus(backoff(row.attempts));
            LOG.infof("Mail %d (%s) not sent, attempt %d: %s", id, row.template, row.attempts, row.lastError);
        }
    }

    Duration backoff(int attempts) {
        Duration initial = config.mail().outbox().initialBackoff();
        Duration wait = initial.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static String describe(RuntimeException e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
