package io.dap.portal.user;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A single-use emailed token (activation, password reset, email change); only its SHA-256 is stored. */
@Entity
@Table(name = "user_token")
public class UserToken extends PanacheEntityBase {

    public enum Purpose {
        ACTIVATION,
        PASSWORD_RESET,
        /** Proves a new address before the account moves to it. */
        EMAIL_CHANGE
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    public Purpose purpose;

    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** ACTIVATION from the sign-up form: the name typed there, offered again on the activation page. */
    @Column(name = "display_name", length = 100)
    public String displayName;

    /** EMAIL_CHANGE: the address the link was sent to. */
    @Column(name = "new_email", length = 254)
    public String newEmail;

    public boolean isUsable(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }

    // Helpers

    public static Optional<UserToken> findUsable(String tokenHash, Purpose purpose, Instant now) {
        return find("select t from UserToken t join fetch t.user where t.tokenHash = ?1 and t.purpose = ?2"
                + " and t.usedAt is null and t.expiresAt > ?3", tokenHash, purpose, now).firstResultOptional();
    }

    /** Kills every live token of this purpose (a resend or a completed flow). */
    public static int retireAll(User user, Purpose purpose, Instant now) {
        return update("usedAt = ?1 where user = ?2 and purpose = ?3 and usedAt is null", now, user, purpose);
    }

    /** Kills every live token of the user, whatever its purpose: the address was just proved, or the password changed. */
    public static int retireEvery(User user, Instant now) {
        return update("usedAt = ?1 where user = ?2 and usedAt is null", now, user);
    }

    /** Single use, even under two simultaneous clicks: exactly one caller changes the row. */
    public static boolean consume(Long id, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null and expiresAt > ?1", now, id) == 1;
    }
}
