package io.dap.portal.account;

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
import jakarta.persistence.Version;

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named group of drives owned by one account: draft → deployed → deleted (kept for usage history). */
@Entity
@Table(name = "infrastructure")
public class Infrastructure extends PanacheEntityBase {

    public enum Status {
        DRAFT,
        DEPLOYED,
        DELETED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The owner: whoever created it while acting in this account, it belongs to the account. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    public Account account;

    @Column(nullable = false, length = 100)
    public String label;

    @Column(nullable = false, length = 1000)
    public String description;

    /** The department or cost centre it is charged back to; null when none (never blank). */
    @Column(length = 100)
    public String department;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    /** The real user who created it (an account delegate, say), not the owner. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "created_by")
    public User createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deployed_at")
    public Instant deployedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Version
    public int version;

    // Helpers

    /** A live (not deleted) infrastructure of the given account; anything else is "not found". */
    public static Optional<Infrastructure> findLive(Long accountId, Long id) {
        return find("id = ?1 and account.id = ?2 and status <> ?3", id, accountId, Status.DELETED)
                .firstResultOptional();
    }
}
