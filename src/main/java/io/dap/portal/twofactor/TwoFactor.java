package io.dap.portal.twofactor;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.dap.portal.web.InList;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A user's TOTP secret, encrypted; enabled once a code confirmed it (R19). One row per user at most. */
@Entity
@Table(name = "two_factor")
public class TwoFactor extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public Long userId;

    /** See {@link SecretCipher}: never the clear secret. */
    @Column(name = "secret_ciphertext", nullable = false, length = 200)
    public String secretCiphertext;

    @Column(name = "enrolment_started_at", nullable = false)
    public Instant enrolmentStartedAt;

    @Column(name = "enabled_at")
    public Instant enabledAt;

    @Column(name = "last_used_step")
    public Long lastUsedStep;

    public boolean enabled() {
        return enabledAt != null;
    }

    // Helpers

    public static boolean enabledFor(Long userId) {
        return count("userId = ?1 and enabledAt is not null", userId) > 0;
    }

    /** Which of these users sign in with a second factor: one statement for a page of people. */
    public static Set<Long> enabledAmong(Collection<Long> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        InList users = InList.of("user", userIds);
        List<Long> enabled = find("select t.userId from TwoFactor t where t.userId in " + users.sql()
                + " and t.enabledAt is not null", users.parameters()).project(Long.class).list();
        return new HashSet<>(enabled);
    }

    /**
     * Accepts a code of {@code step} once: only a step newer than every step accepted before moves
     * the mark, so a replayed code (or an older one) changes no row, even under two simultaneous posts.
     */
    public static boolean markUsed(Long userId, long step) {
        return update("lastUsedStep = ?1 where userId = ?2 and enabledAt is not null"
                + " and (lastUsedStep is null or lastUsedStep < ?1)", step, userId) == 1;
    }
}
