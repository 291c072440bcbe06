package io.dap.portal.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.audit.AuditLog;
import io.dap.portal.invitation.Invitation;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.PanacheQuery;

/**
 * Grants as the sharing pages, the API and the dashboard show them: pages of rows with their
 * latest invitation, the access groups in use, counts by role. Reads only.
 */
@ApplicationScoped
public class GrantRows {

    @Inject
    TimeSource time;

    /**
     * One page of an account's grants of one scope (one infrastructure's, for that scope), newest
     * first, counted: three statements (count, grants, their latest invitations). For the API,
     * whose pages carry a total.
     */
    @Transactional
    public Page<GrantRow> page(Long accountId, Role.Scope scope, Long infrastructureId, String label, String basePath,
            int requestedPage, int size) {
        String where = grantsWhere(infrastructureId, label);
        Object[] parameters = grantsParameters(accountId, scope, infrastructureId, label);
        long total = Grant.count(where.replace("g.", ""), parameters);
        int number = Page.clampNumber(requestedPage, total, size);
        List<Grant> grants = grantsQuery(where, parameters).page(number - 1, size).list();
        return new Page<>(rows(grants, latestInvitations(grants), time.now(), basePath), number, size, total);
    }

    /**
     * The same page for the sharing pages, not counted: they show the newest grants and the way
     * to the next page, read from the account's index in that order. Two statements, whatever
     * the number of grants.
     */
    @Transactional
    public Page<GrantRow> slice(Long accountId, Role.Scope scope, Long infrastructureId, String label,
            String basePath, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        String where = grantsWhere(infrastructureId, label);
        List<Grant> grants = grantsQuery(where, grantsParameters(accountId, scope, infrastructureId, label))
                .range((number - 1) * size, number * size).list();
        List<Grant> shown = grants.stream().limit(size).toList();
        return Page.slice(rows(shown, latestInvitations(shown), time.now(), basePath), number, size,
                grants.size() > size);
    }

    /** The grants of a sharing page, of one access group when a label is given (positional parameters). */
    private static String grantsWhere(Long infrastructureId, String label) {
        String where = "g.account.id = ?1 and g.scope = ?2";
        int next = 3;
        if (infrastructureId != null) {
            where += " and g.infrastructure.id = ?" + next++;
        }
        return label == null ? where : where + " and g.label = ?" + next;
    }

    private static Object[] grantsParameters(Long accountId, Role.Scope scope, Long infrastructureId, String label) {
        List<Object> parameters = new ArrayList<>(List.of(accountId, scope));
        if (infrastructureId != null) {
            parameters.add(infrastructureId);
        }
        if (label != null) {
            parameters.add(label);
        }
        return parameters.toArray();
    }

    private static PanacheQuery<Grant> grantsQuery(String where, Object[] parameters) {
        return Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where " + where + " order by "
                // The filtered columns lead, as in the index that answers the page (see AuditLog.Condition).
                + (where.contains("g.infrastructure.id") ? "g.infrastructure.id" : "g.account.id, g.scope")
                + (where.contains("g.label") ? ", g.label" : "")
                + ", g.invitedAt desc, g.id desc", parameters);
    }

    /** At most this many labels are offered as filters, and this many grants end in one group revocation. */
    static final int MAX_LABELS = 200;
    static final int MAX_GROUP = 500;

    /** The labels (access groups) in use on a sharing page's open grants, alphabetically: one statement. */
    @Transactional
    public List<String> labels(Shared shared) {
        // In the order of the label index (its leading columns first) and from the first label on, so
        // the read skips the unlabelled grants and stops after the page, however many grants there are.
        String lead = shared.infrastructureId() == null ? "g.account.id, g.scope" : "g.infrastructure.id";
        var query = Grant.getEntityManager().createQuery("select distinct " + lead + ", g.label from Grant g where "
                + openOn(shared) + " and g.label > '' order by " + lead + ", g.label", Object[].class)
                .setMaxResults(MAX_LABELS);
        openOnParameters(shared).forEach(query::setParameter);
        return query.getResultStream().map(row -> (String) row[row.length - 1]).toList();
    }

    /** The open grants of one access group on a sharing page, for the confirmation of ending them all. */
    @Transactional
    public List<GrantRow> labelled(Shared shared, String label, String basePath) {
        List<Grant> grants = labelledGrants(shared, label);
        return rows(grants, latestInvitations(grants), time.now(), basePath);
    }

    static List<Grant> labelledGrants(Shared shared, String label) {
        Map<String, Object> parameters = openOnParameters(shared);
        parameters.put("label", label);
        return Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where " + openOn(shared) + " and g.label = :label order by g.id",
                parameters).page(0, MAX_GROUP).list();
    }

    /** The pending or accepted grants a sharing page manages (named parameters from openOnParameters). */
    private static String openOn(Shared shared) {
        return "g.account.id = :account and g.scope = :scope and " + Grant.open("g")
                + (shared.infrastructureId() == null ? "" : " and g.infrastructure.id = :infrastructure");
    }

    private static Map<String, Object> openOnParameters(Shared shared) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("account", shared.accountId());
        parameters.put("scope", shared.scope());
        if (shared.infrastructureId() != null) {
            parameters.put("infrastructure", shared.infrastructureId());
        }
        return parameters;
    }

    /** A grant of this account, for the revoke confirmation. */
    @Transactional
    public Optional<GrantRow> find(Shared shared, Long grantId, String basePath) {
        Grant grant = Grant.find("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.id = ?1", grantId).firstResult();
        if (grant == null || !shared.covers(grant)) {
            return Optional.empty();
        }
        return Optional.of(row(grant, Invitation.latestOf(grant.id), time.now(), basePath));
    }

    static GrantRow row(Grant grant, Invitation invitation, Instant now, String basePath) {
        String status = switch (grant.status) {
            case PENDING -> invitation != null && invitation.isUsable(now) ? "Pending" : "Expired";
            case ACCEPTED -> grant.isActive(now) ? "Accepted" : "Expired";
            case DECLINED -> "Declined";
            case CANCELLED -> "Cancelled";
            case REVOKED -> "Revoked";
            case LEFT -> "Left";
        };
        String mailStatus = invitation == null || invitation.mail == null ? "—" : switch (invitation.mail.status) {
            case PENDING -> invitation.mail.attempts == 0 ? "Queued" : "Retrying";
            case SENT -> "Delivered to the mail server";
            case FAILED -> "Failed";
        };
        User grantee = grant.grantee;
        // A name only once the person answered: before that it would tell that the address had an account (R8).
        String name = grant.respondedAt != null && grantee.isActive() ? grantee.displayName : null;
        return new GrantRow(grant.id, grantee.id, grantee.email, name, grant.role,
                grant.infrastructure == null ? null : grant.infrastructure.label,
                grant.label, status, grant.invitedBy.displayName, grant.invitedAt, grant.respondedAt, grant.endsAt,
                mailStatus, grant.isOpen(), grant.status == Grant.Status.PENDING, basePath);
    }

    static List<GrantRow> rows(List<Grant> grants, Map<Long, Invitation> latest, Instant now,
            String basePath) {
        return grants.stream().map(g -> row(g, latest.get(g.id), now, basePath)).toList();
    }

    /** Rows for grants read elsewhere (the operator console, R21), with their latest invitations: one statement. */
    public static List<GrantRow> rowsOf(List<Grant> grants, Instant now, String basePath) {
        return rows(grants, latestInvitations(grants), now, basePath);
    }

    static Map<Long, Invitation> latestInvitations(List<Grant> grants) {
        Map<Long, Invitation> latest = new HashMap<>();
        if (!grants.isEmpty()) {
            List<Long> ids = grants.stream().map(g -> g.id).toList();
            InList inIds = InList.of("grant", ids);
            Invitation.<Invitation>list("select i from Invitation i left join fetch i.mail where i.id in"
                    + " (select max(j.id) from Invitation j where j.grant.id in " + inIds.sql() + " group by j.grant.id)",
                    inIds.parameters()).forEach(i -> latest.put(i.grant.id, i));
        }
        return latest;
    }

    /** How many people hold a role in an account, by state: the dashboard's summary of Account sharing. */
    public record AccessCount(String scope, String roleLabel, String status, long count) {
    }

    /**
     * Live grants of the account counted by scope, role and state (Pending, Accepted, Expired):
     * one grouped statement whatever their number.
     */
    @Transactional
    public List<AccessCount> accessCounts(Long accountId) {
        // The end date is summed, not grouped on: an expression with a parameter cannot be grouped
        // on portably (PostgreSQL sees two different parameters).
        List<Object[]> rows = Grant.getEntityManager().createQuery("select g.scope, g.role, g.status, count(g),"
                + " sum(case when g.endsAt is not null and g.endsAt <= :now then 1 else 0 end)"
                + " from Grant g where g.account.id = :account and " + Grant.open("g")
                + " group by g.scope, g.role, g.status order by g.scope, g.role, g.status", Object[].class)
                .setParameter("now", time.now()).setParameter("account", accountId)
                .getResultList();
        List<AccessCount> counts = new ArrayList<>();
        for (Object[] r : rows) {
            String scope = r[0] == Role.Scope.ACCOUNT ? "Account" : "Infrastructure";
            String role = ((Role) r[1]).label();
            long all = ((Number) r[3]).longValue();
            long ranOut = r[4] == null ? 0 : ((Number) r[4]).longValue();
            if (r[2] == Grant.Status.PENDING) {
                counts.add(new AccessCount(scope, role, "Pending", all));
                continue;
            }
            if (all > ranOut) {
                counts.add(new AccessCount(scope, role, "Accepted", all - ranOut));
            }
            if (ranOut > 0) {
                counts.add(new AccessCount(scope, role, "Expired", ranOut));
            }
        }
        return counts;
    }

    public record AccountDelegate(String email, String displayName, String roleLabel) {
    }

    /**
     * Who has access through account sharing, shown read-only on an infrastructure's Sharing tab:
     * a page at a time, newest grant first (the account's index order), not counted.
     */
    @Transactional
    public Page<AccountDelegate> accountDelegates(Long accountId, int requestedPage, int size) {
        int number = Math.max(1, requestedPage);
        List<AccountDelegate> delegates = Grant.<Grant>find("select g from Grant g join fetch g.grantee"
                + " where g.account.id = ?1 and g.scope = ?2 and " + Grant.activeAt("g", "?3")
                + " order by g.account.id, g.scope, g.invitedAt desc, g.id desc", accountId, Role.Scope.ACCOUNT,
                time.now()).range((number - 1) * size, number * size).list().stream()
                .map(g -> new AccountDelegate(g.grantee.email, g.grantee.displayName, g.role.label())).toList();
        return Page.slice(delegates.stream().limit(size).toList(), number, size, delegates.size() > size);
    }
}
