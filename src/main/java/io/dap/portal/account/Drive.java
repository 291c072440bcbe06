package io.dap.portal.account;

import java.time.Instant;
import java.util.List;

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

import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An element of an infrastructure; it accrues usage from provisioning to deletion. */
@Entity
@Table(name = "drive")
public class Drive extends PanacheEntityBase {

    public enum Status {
        /** Added, waiting for the next deploy. */
        PENDING,
        /** Provisioned by a deploy: running and billed. */
        RUNNING,
        DELETED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "infrastructure_id")
    public Infrastructure infrastructure;

    @Column(nullable = false, length = 100)
    public String label;

    @Column(name = "size_gb", nullable = false)
    public int sizeGb;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "provisioned_at")
    public Instant provisionedAt;

    /** Who deployed it: usage reports name them, the bill still goes to the owner (R7). */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "provisioned_by")
    public User provisionedBy;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    // Helpers

    public static List<Drive> liveOf(Long infrastructureId) {
        return list("select d from Drive d left join fetch d.provisionedBy where d.infrastructure.id = ?1"
                + " and d.status <> ?2 order by d.id", infrastructureId, Status.DELETED);
    }
}
