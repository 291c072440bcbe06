package io.dap.portal.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Append-only: rows are inserted, never deleted by the application. The one update is the repeat
 * counter of a refusal, so the same refused request repeated does not flood the log (R13).
 */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    public enum Outcome {
        SUCCESS,
        FAILURE,
        REFUSED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The user the event belongs to (the actor, or the account a failed sign-in aimed at). */
    @Column(name = "user_id")
    public Long userId;

    @Column(name = "user_email", length = 254)
    public String userEmail;

    @Column(nullable = false, length = 64)
    public String action;

    @Column(length = 255)
    public String target;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Outcome outcome;

    @Column(name = "client_address", length = 64)
    public String clientAddress;

    @Column(length = 1000)
    public String detail;

    /** The account the event happened in, when it happened in one. */
    @Column(name = "account_id")
    public Long accountId;

    /** The owner the real user was impersonating when they did this (R10). */
    @Column(name = "on_behalf_of_id")
    public Long onBehalfOfId;

    @Column(name = "on_behalf_of_email", length = 254)
    public String onBehalfOfEmail;

    /** The user the event concerns when that is not the actor: the grantee of a grant, the impersonated owner. */
    @Column(name = "subject_user_id")
    public Long subjectUserId;

    /** How many identical refusals this row stands for (1 for everything else). */
    @Column(name = "repeat_count", nullable = false)
    public int repeatCount = 1;

    @Column(name = "last_repeated_at")
    public Instant lastRepeatedAt;

    /** The API token the change was made with, if any; its name is kept should the token be deleted. */
    @Column(name = "api_token_id")
    public Long apiTokenId;

    @Column(name = "api_token_name", length = 100)
    public String apiTokenName;

    /** Done by an operator, in the console or while acting as a user (R21). */
    @Column(name = "by_operator", nullable = false)
    public boolean byOperator;
}
