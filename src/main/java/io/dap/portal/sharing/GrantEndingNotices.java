package io.dap.portal.sharing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.dap.portal.access.Grant;
import io.dap.portal.mail.Emails;
import io.dap.portal.notification.Notification;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Times;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Tells a delegate, once, that a time-limited grant ends within three days (mail and in-app).
 * Safe with several instances: each notice is claimed with a conditional update, so it goes out
 * once whoever runs first.
 */
@ApplicationScoped
public class GrantEndingNotices {

    /** How far ahead the delegate hears of the end. */
    public static final Duration NOTICE = Duration.ofDays(3);

    private static final Logger LOG = Logger.getLogger(GrantEndingNotices.class);
    private static final int BATCH = 100;

    @Inject
    TimeSource time;

    @Inject
    Emails emails;

    @Scheduled(every = "1h", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        int sent = sendDue();
        if (sent > 0) {
            LOG.infof("Told %d delegates that their access ends soon", sent);
        }
    }

    /** Sends every due notice; returns how many this call sent. */
    public int sendDue() {
        int sent = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(this::sendBatch);
            sent += batch;
        } while (batch == BATCH);
        return sent;
    }

    private int sendBatch() {
        Instant now = time.now();
        List<Grant> due = Grant.find("select g from Grant g join fetch g.grantee join fetch g.account a"
                + " join fetch a.owner left join fetch g.infrastructure where " + Grant.activeAt("g", "?1")
                + " and g.endsAt <= ?2 and g.endingNoticeAt is null order by g.endsAt, g.id", now, now.plus(NOTICE))
                .page(0, BATCH).list();
        int sent = 0;
        for (Grant grant : due) {
            if (Grant.update("endingNoticeAt = ?1 where id = ?2 and endingNoticeAt is null", now, grant.id) != 1) {
                continue;
            }
            String what = GrantWords.what(grant);
            Notification.send(grant.grantee.id, "Your access to " + what + " as " + grant.role.label() + " ends at "
                    + Times.utc(grant.endsAt) + ".", "/settings/shared-with-me", now);
            emails.accessEnding(grant.grantee, what, grant.role.label(), grant.endsAt,
                    grant.account.owner.displayName + " (" + grant.account.owner.email + ")");
            sent++;
        }
        return sent;
    }
}
