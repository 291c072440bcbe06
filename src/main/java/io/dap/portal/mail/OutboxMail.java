package io.dap.portal.mail;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A rendered mail waiting for, or done with, delivery. Written in the transaction of the change it reports. */
@Entity
@Table(name = "outbox_mail")
public class OutboxMail extends PanacheEntityBase {

    public enum Status {
        PENDING,
        SENT,
        /** Gave up after the configured number of attempts. */
        FAILED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 254)
    public String recipient;

    @Column(nullable = false, length = 255)
    public String subject;

    @Column(name = "text_body", nullable = false, length = 100000)
    public String textBody;

    @Column(name = "html_body", nullable = false, length = 200000)
    public String htmlBody;

    /** Which mail this is (activation, password-reset …), for the dev page and delivery status. */
    @Column(nullable = false, length = 64)
    public String template;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    /** Set while one sender instance works on the row, so two instances never send it twice. */
    @Column(name = "claimed_until")
    public Instant claimedUntil;

    @Column(name = "last_error", length = 1000)
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** When the single-use link in this mail stops working; null for a mail without one. */
    @Column(name = "link_expires_at")
    public Instant linkExpiresAt;

    // Helpers

    public static List<Long> dueIds(Instant now, int limit) {
        return find("select m.id from OutboxMail m where m.status = ?1 and m.nextAttemptAt <= ?2"
                + " and (m.claimedUntil is null or m.claimedUntil < ?2) order by m.nextAttemptAt, m.id",
                Status.PENDING, now).project(Long.class).page(0, limit).list();
    }

    /** Conditional update: true for exactly one claimant. */
    public static boolean claim(Long id, Instant now, Instant until) {
        return update("claimedUntil = ?1 where id = ?2 and status = ?3 and (claimedUntil is null or claimedUntil < ?4)",
                until, id, Status.PENDING, now) == 1;
    }
}
