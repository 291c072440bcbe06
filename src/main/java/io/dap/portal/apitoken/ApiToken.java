package io.dap.portal.apitoken;

import java.time.Instant;

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

import io.dap.portal.account.Account;
import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/** A secret a script sends as {@code Authorization: Bearer dap_…}; the row holds only its SHA-256 (R14). */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    public enum Scope {
        /** One account the creator can act in. */
        RESTRICTED,
        /** Every account the creator can act in, now or later. */
        GLOBAL
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The creator: the token acts as this user, never with more than their live rights. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public User user;

    @Column(nullable = false, length = 100)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Scope scope;

    /** The one account of a Restricted token; null for a Global one. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "account_id")
    public Account account;

    @Column(name = "token_hash", nullable = false, length = 64)
    public String tokenHash;

    /** The first characters of the secret, enough to recognise it in a list; not enough to use it. */
    @Column(name = "display_prefix", nullable = false, length = 16)
    public String displayPrefix;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Null: no expiry (only when the configuration allows it). */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "last_used_address", length = 64)
    public String lastUsedAddress;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** SHA-256 of the single-use value of the form that created it: the same form never creates two. */
    @Column(name = "form_once_hash", length = 64)
    public String formOnceHash;

    public boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    // Helpers

    /** The token of a presented secret's hash, with its creator, in one statement. */
    public static ApiToken findWithUser(String tokenHash) {
        return find("select t from ApiToken t join fetch t.user where t.tokenHash = ?1", tokenHash).firstResult();
    }

    /** A user's tokens, newest first, with the restricted account's name: one statement. */
    /** The user's tokens, newest first; the account of a Restricted one comes with it. */
    public static PanacheQuery<ApiToken> ofUser(Long userId) {
        return find("select t from ApiToken t left join fetch t.account where t.user.id = ?1"
                + " order by t.createdAt desc, t.id desc", userId);
    }
}
