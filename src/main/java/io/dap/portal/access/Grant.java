package io.dap.portal.access;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import io.dap.portal.account.Infrastructure;
import io.dap.portal.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A delegation from an account to one user: the whole account or one infrastructure, with a role.
 * Accept, decline, cancel, revoke and leave are final; "expired" is derived, never stored.
 */
@Entity
@Table(name = "access_grant")
public class Grant extends PanacheEntityBase {

    public enum Status {
        PENDING,
        ACCEPTED,
        DECLINED,
        /** A pending invitation withdrawn by the granter. */
        CANCELLED,
        REVOKED,
        /** Given up by the grantee. */
        LEFT
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The granting account. */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id")
    public Account account;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Role.Scope scope;

    /** For scope INFRASTRUCTURE: the one infrastructure shared. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "infrastructure_id")
    public Infrastructure infrastructure;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "grantee_id")
    public User grantee;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public Role role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    /** Seen only by the granter. */
    @Column(length = 100)
    public String label;

    /** A time-limited grant ends at this moment without anyone acting. */
    @Column(name = "ends_at")
    public Instant endsAt;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "invited_by")
    public User invitedBy;

    @Column(name = "invited_at", nullable = false)
    public Instant invitedAt;

    @Column(name = "responded_at")
    public Instant respondedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "revoked_by")
    public User revokedBy;

    /** When the grantee was told that the end date is near; set once. */
    @Column(name = "ending_notice_at")
    public Instant endingNoticeAt;

    public boolean isLive() {
        return status == Status.PENDING || status == Status.ACCEPTED;
    }

    public boolean isActive(Instant now) {
        return status == Status.ACCEPTED && (endsAt == null || now.isBefore(endsAt));
    }

    /** This grant added to what its holder already may do (R16: grants only add). */
    public Rights addTo(Rights rights) {
        return rights.with(role, scope == Role.Scope.ACCOUNT ? null : infrastructure.id);
    }

    /** The union of the given grants, per account. */
    public static Map<Long, Rights> rightsByAccount(List<Grant> grants) {
        Map<Long, Rights> rights = new HashMap<>();
        grants.forEach(g -> rights.merge(g.account.id, g.addTo(Rights.none()), (a, b) -> g.addTo(a)));
        return rights;
    }

    // Helpers

    /**
     * The live grants of one user, as a condition on {@code Grant g} with the parameters
     * {@code :user}, {@code :accepted} (Status.ACCEPTED) and {@code :now}: the grantee's index
     * answers it without reading the table.
     */
    public static final String ACTIVE_FOR_USER = "g.grantee.id = :user and g.status = :accepted"
            + " and (g.endsAt is null or g.endsAt > :now)";

    /** The grants that give this user rights in this account right now (R9: read on every request). */
    public static List<Grant> activeFor(Long accountId, Long userId, Instant now) {
        return list("account.id = ?1 and grantee.id = ?2 and status = ?3 and (endsAt is null or endsAt > ?4)",
                accountId, userId, Status.ACCEPTED, now);
    }

    /**
     * The same for several accounts at once (one page of a list), in grant order, with the
     * infrastructure of infrastructure grants: one statement.
     */
    public static List<Grant> activeIn(List<Long> accountIds, Long userId, Instant now) {
        return list("select g from Grant g left join fetch g.infrastructure where g.account.id in ?1"
                + " and g.grantee.id = ?2 and g.status = ?3 and (g.endsAt is null or g.endsAt > ?4) order by g.id",
                accountIds, userId, Status.ACCEPTED, now);
    }

    /**
     * A grant of the same scope for the same person that still stands in the way of a new
     * invitation: pending, or accepted and not past its end date. Access that ran out can be given
     * again with a new invitation.
     */
    public static final String LIVE = "account.id = ?1 and scope = ?2 and grantee.id = ?3 and status in (?4, ?5)"
            + " and (status = ?4 or endsAt is null or endsAt > ?6)";

    public static Grant findLive(Long accountId, Role.Scope scope, Long infrastructureId, Long granteeId,
            Instant now) {
        String where = LIVE;
        return infrastructureId == null
                ? find(where + " and infrastructure is null", accountId, scope, granteeId, Status.PENDING,
                        Status.ACCEPTED, now).firstResult()
                : find(where + " and infrastructure.id = ?7", accountId, scope, granteeId, Status.PENDING,
                        Status.ACCEPTED, now, infrastructureId).firstResult();
    }
}
