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
 * An account Administrator acting as the account's owner for billing (R10). Bound to the one
 * session it was started in; the row stays after it ends, as the record the owner can read.
 */
@Entity
@Table(name = "impersonation")
public class Impersonation extends PanacheEntityBase {

    public enum EndReason {
        STOPPED("stopped by the delegate"),
        SIGNED_OUT("the delegate signed out"),
        EXPIRED("time was up"),
        GRANT_ENDED("the delegate's access changed or ended"),
        ENDED_BY_OWNER("ended by the owner");

        private final String label;

        EndReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
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

    /** The Administrator grant that allowed it; when that grant changes or ends, so does this. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
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
}
