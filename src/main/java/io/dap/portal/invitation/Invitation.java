package io.dap.portal.invitation;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.dap.portal.access.Grant;
import io.dap.portal.mail.OutboxMail;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;

/** The emailed, single-use, expiring token of a pending grant (R8); only its SHA-256 is stored. */
@Entity
@Table(name = "invitation")
public class Invitation extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "grant_id")
    public Grant grant;

    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** Killed by a resend, a cancel or a revoke. */
    @Column(name = "superseded_at")
    public Instant supersededAt;

    /** The mail that carried it, for the delivery status on the sharing pages. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "mail_id")
    public OutboxMail mail;

    /** An invitation can be answered until it is used, replaced by a newer one, or past its expiry. */
    public boolean isUsable(Instant now) {
        return usedAt == null && supersededAt == null && now.isBefore(expiresAt);
    }

    // Helpers

    /** The same condition in SQL on the invitation table, for the few plain-SQL statements. */
    public static String usableSql(String invitation, String now) {
        return invitation + ".used_at is null and " + invitation + ".superseded_at is null and " + invitation
                + ".expires_at > " + now;
    }

    /** The same condition as isUsable, in HQL on the alias, with the caller's parameter for the moment. */
    public static String usableAt(String invitation, String now) {
        return invitation + ".usedAt is null and " + invitation + ".supersededAt is null and " + invitation
                + ".expiresAt > " + now;
    }

    /** A usable invitation with its pending grant, by token hash; anything else is "not valid". */
    public static Optional<Invitation> findUsable(String tokenHash, Instant now) {
        return find("select i from Invitation i join fetch i.grant g join fetch g.account a join fetch a.owner"
                + " join fetch g.grantee left join fetch g.infrastructure where i.tokenHash = ?1"
                + " and " + usableAt("i", "?2") + " and g.status = ?3", tokenHash, now, Grant.Status.PENDING)
                .firstResultOptional();
    }

    /**
     * Invitations waiting for a user's answer, usable and of a pending grant, as a condition on
     * {@code Invitation i} with the parameters {@code :user} and {@code :now}.
     */
    public static final String WAITING = "i.grant.grantee.id = :user"
            + " and i.grant.status = io.dap.portal.access.Grant.Status.PENDING"
            + " and " + usableAt("i", ":now");

    /** Invitations waiting for this user's answer. */
    public static long waitingFor(Long userId, Instant now) {
        return find("select count(i) from Invitation i where " + WAITING,
                Parameters.with("user", userId).and("now", now))
                .project(Long.class).firstResult();
    }

    /** The newest invitation of a grant. */
    public static Invitation latestOf(Long grantId) {
        return find("grant.id = ?1 order by createdAt desc, id desc", grantId).firstResult();
    }

    public static int supersedeAll(Long grantId, Instant now) {
        return update("supersededAt = ?1 where grant.id = ?2 and usedAt is null and supersededAt is null", now,
                grantId);
    }

    /** Single use under any number of simultaneous clicks: exactly one caller changes the row. */
    public static boolean consume(Long id, Instant now) {
        return update("update Invitation i set i.usedAt = ?1 where i.id = ?2 and " + usableAt("i", "?1"), now, id) == 1;
    }
}
