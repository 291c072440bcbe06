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
import io.dap.portal.web.InList;
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

    public boolean isOpen() {
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

    // The grant vocabulary: each condition is written here once, in Java for a loaded row and in
    // HQL for a query. Statuses are literals, so a query binds only its own parameters; the moment
    // is the caller's parameter (":now" or "?3"). No parentheses inside parentheses: Hibernate's
    // HQL parser needed tens of megabytes of heap the first time it read such nesting.

    private static final String STATUS = "io.dap.portal.access.Grant.Status.";

    /** R9: an accepted grant whose end date, if any, is still ahead gives its rights now. */
    public static String activeAt(String grant, String now) {
        return grant + ".status = " + STATUS + "ACCEPTED and (" + grant + ".endsAt is null or " + grant + ".endsAt > "
                + now + ")";
    }

    /** The same condition as activeAt, in SQL on the access_grant table, for the few plain-SQL statements. */
    public static String activeSql(String grant, String now) {
        return grant + ".status = 'ACCEPTED' and (" + grant + ".ends_at is null or " + grant + ".ends_at > " + now + ")";
    }

    /** Pending or accepted: nobody has ended it yet, so it can still be revoked, cancelled or changed. */
    public static String open(String grant) {
        return grant + ".status in (" + STATUS + "PENDING, " + STATUS + "ACCEPTED)";
    }

    /**
     * Pending, or active: what stands in the way of a new invitation for the same access and makes
     * a person one of those who can act. Access that ran out can be given again.
     */
    public static String standingAt(String grant, String now) {
        return open(grant) + " and (" + grant + ".status = " + STATUS + "PENDING or " + grant + ".endsAt is null or "
                + grant + ".endsAt > " + now + ")";
    }

    /**
     * The active grants of one user, as a condition on {@code Grant g} with the parameters
     * {@code :user} and {@code :now}: the grantee's index answers it without reading the table.
     */
    public static final String ACTIVE_FOR_USER = "g.grantee.id = :user and " + activeAt("g", ":now");

    /** The grants that give this user rights in this account right now (R9: read on every request). */
    public static List<Grant> activeFor(Long accountId, Long userId, Instant now) {
        return list("from Grant g where g.account.id = ?1 and g.grantee.id = ?2 and " + activeAt("g", "?3"),
                accountId, userId, now);
    }

    /**
     * The same for several accounts at once (one page of a list), in grant order, with the
     * infrastructure of infrastructure grants: one statement.
     */
    public static List<Grant> activeIn(List<Long> accountIds, Long userId, Instant now) {
        InList accounts = InList.of("account", accountIds);
        return list("select g from Grant g left join fetch g.infrastructure where g.account.id in " + accounts.sql()
                + " and g.grantee.id = :user and " + activeAt("g", ":now") + " order by g.id",
                accounts.parametersWith(Map.of("user", userId, "now", now)));
    }

    /** A grant of the same access for the same person that still stands (see standingAt). */
    public static Grant findStanding(Long accountId, Role.Scope scope, Long infrastructureId, Long granteeId,
            Instant now) {
        String where = "from Grant g where g.account.id = ?1 and g.scope = ?2 and g.grantee.id = ?3 and "
                + standingAt("g", "?4");
        return infrastructureId == null
                ? find(where + " and g.infrastructure is null", accountId, scope, granteeId, now).firstResult()
                : find(where + " and g.infrastructure.id = ?5", accountId, scope, granteeId, now, infrastructureId)
                        .firstResult();
    }
}
