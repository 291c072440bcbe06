package io.dap.portal.user;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    public enum Status {
        /** Signed up or invited, has not followed the activation link yet. */
        PENDING_ACTIVATION,
        ACTIVE,
        DISABLED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Normalised: trimmed and lower-cased with Locale.ROOT (see EmailAddress). */
    @Column(nullable = false, length = 254)
    public String email;

    @Column(name = "display_name", nullable = false, length = 100)
    public String displayName;

    /**
     * argon2id (PasswordHashes), or bcrypt until the next sign-in replaces it; null for a user
     * created by an invitation who has not chosen a password yet.
     */
    @Column(name = "password_hash", length = 255)
    public String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    // Helpers

    public static Optional<User> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResultOptional();
    }
}
