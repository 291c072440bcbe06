package io.dap.portal.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Half signed in (R19): the password was right, the code is still to come. Not a session: it opens
 * no page but the code form, lasts minutes, and is spent by the first right code. The browser holds
 * a random id in a cookie; the row holds its SHA-256.
 */
@Entity
@Table(name = "pending_sign_in")
public class PendingSignIn extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    /** The local path to open once signed in. */
    @Column(nullable = false, length = 2000)
    public String destination;

    @Column(name = "client_address", length = 64)
    public String clientAddress;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    // Helpers

    /** The live state behind a cookie, locked: two posts of one code form are served one after the other. */
    public static PendingSignIn findLive(String tokenHash, Instant now) {
        return find("tokenHash = ?1 and expiresAt > ?2", tokenHash, now).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
