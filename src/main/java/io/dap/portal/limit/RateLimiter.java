package io.dap.portal.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import io.dap.portal.web.TimeSource;
import io.dap.portal.web.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Fixed-window counters in the database, so that every instance behind the load balancer counts
 * the same hits. A hit is one conditional update ({@code hits < limit}), which no two requests can
 * both win past the limit; the first hit of a window inserts the row. Each hit is committed at once,
 * in its own transaction: a request that fails later still counted, and a refusal is never undone.
 *
 * <p>Why not a library: bucket4j's core counts in memory (per instance); its database back-ends need
 * one module per database and keep an opaque serialised state per key. One table and two statements
 * work the same on H2 and PostgreSQL and can be read by anyone.
 */
@ApplicationScoped
public class RateLimiter {

    @Inject
    EntityManager entityManager;

    @Inject
    TimeSource time;

    /**
     * Counts one hit on {@code key} in the current window if fewer than {@code limit} were counted;
     * empty when it was counted, else how long until the window ends.
     */
    public Optional<Duration> hit(String key, int limit, Duration window) {
        long windowSeconds = Math.max(1, window.toSeconds());
        Instant now = time.now();
        long start = Math.floorDiv(now.getEpochSecond(), windowSeconds) * windowSeconds;
        Duration left = Duration.between(now, Instant.ofEpochSecond(start + windowSeconds));
        if (limit <= 0) {
            return Optional.of(left);
        }
        String bucket = Tokens.sha256(windowSeconds + "|" + key);
        if (QuarkusTransaction.requiringNew().call(() -> increment(bucket, start, limit))) {
            return Optional.empty();
        }
        boolean exists = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select count(*) from rate_limit_counter where bucket = ?1 and window_start = ?2")
                .setParameter(1, bucket).setParameter(2, start).getSingleResult() instanceof Number n
                && n.longValue() > 0);
        if (exists) {
            return Optional.of(left);
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                    "insert into rate_limit_counter (bucket, window_start, hits) values (?1, ?2, 1)")
                    .setParameter(1, bucket).setParameter(2, start).executeUpdate());
            return Optional.empty();
        } catch (PersistenceException | io.quarkus.narayana.jta.QuarkusTransactionException e) {
            // Another instance created the row first: count on it like any later hit.
            return QuarkusTransaction.requiringNew().call(() -> increment(bucket, start, limit)) ? Optional.empty()
                    : Optional.of(left);
        }
    }

    /** Forgets windows that ended more than a day ago. */
    public int purge(Duration window) {
        long windowSeconds = Math.max(1, window.toSeconds());
        long before = time.now().getEpochSecond() - windowSeconds - Duration.ofDays(1).toSeconds();
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("delete from rate_limit_counter where window_start < ?1")
                .setParameter(1, before).executeUpdate());
    }

    private boolean increment(String bucket, long start, int limit) {
        return entityManager.createNativeQuery("update rate_limit_counter set hits = hits + 1"
                + " where bucket = ?1 and window_start = ?2 and hits < ?3")
                .setParameter(1, bucket).setParameter(2, start).setParameter(3, limit).executeUpdate() == 1;
    }
}
