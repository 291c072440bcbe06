package io.dap.portal.impersonation;

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

import io.dap.portal.access.Grant;
import io.dap.portal.account.Account;
import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Someone acting as someone else, bound to the one session it was started in; the row stays after
 * it ends, as the record the impersonated person can read. Two kinds: an account Administrator
 * acting as the account's owner for billing (R10), and an operator acting as a user for support
 * (R21), where the account is the user's own and no grant is involved.
 */
@Entity
@Table(name = "impersonation")
public class Impersonation extends PanacheEntityBase {

    public enum Kind {
        /** R10: an account Administrator acts as the owner, for billing only. */
        OWNER_BILLING,
        /** R21: an operator acts as a user for support, read-only until changes are confirmed. */
        OPERATOR_SUPPORT
    }

    public enum EndReason {
        STOPPED("stopped by the delegate"),
        SIGNED_OUT("the delegate signed out"),
        EXPIRED("time was up"),
        GRANT_ENDED("the delegate's access changed or ended"),
        ENDED_BY_OWNER("ended by the owner"),
        ENDED_BY_OPERATOR("ended by the portal's support staff"),
        USER_DISABLED("the user was disabled"),
        OPERATOR_REMOVED("the operator may no longer use the console");

        private final String label;

        EndReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The label as the kind reads it: in a support session the one acting is the operator. */
        public String label(Kind kind) {
            return kind == Kind.OPERATOR_SUPPORT ? label.replace("the delegate", "the operator") : label;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    public Account account;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "owner_id")
    public User owner;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "impersonator_id")
    public User impersonator;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    public Kind kind = Kind.OWNER_BILLING;

    /**
     * The Administrator grant that allowed it; when that grant changes or ends, so does this. None
     * for an operator's support session.
     */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "grant_id")
    public Grant grant;

    @Column(name = "session_id", nullable = false)
    public Long sessionId;

    @Column(nullable = false, length = 500)
    public String reason;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "end_reason", length = 24)
    public EndReason endReason;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "ended_by")
    public User endedBy;

    /** A support session may change things from this moment on; read-only while null. */
    @Column(name = "changes_allowed_at")
    public Instant changesAllowedAt;

    public boolean support() {
        return kind == Kind.OPERATOR_SUPPORT;
    }
}
