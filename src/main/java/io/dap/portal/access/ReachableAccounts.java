package io.dap.portal.access;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.dap.portal.account.Account;
import io.dap.portal.web.Page;

/**
 * The accounts a person can act in: their own, and each account where they hold an active grant
 * (R9, R16). The one query behind the switch page, the dashboard, the API's account list and the
 * token form. Shared accounts come in account order straight from the grantee's grants index,
 * never counted unless a caller must show a total.
 */
@ApplicationScoped
public class ReachableAccounts {

    /**
     * Ids of the accounts shared with the user, in account order, from {@code offset}, at most
     * {@code limit}; with a search, those whose owner's name or address or whose name contains it.
     * One statement.
     */
    @Transactional
    public List<Long> shared(Long userId, String search, int offset, int limit, Instant now) {
        String text = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        // Distinct over the index's own order, so the read stops after the page.
        var query = entityManager().createQuery("select distinct g.grantee.id, g.status, g.account.id"
                + " from Grant g" + (text.isEmpty() ? "" : " join g.account a join a.owner o")
                + " where " + Grant.ACTIVE_FOR_USER
                + (text.isEmpty() ? "" : " and (lower(o.displayName) like :search escape '\\' or lower(o.email)"
                        + " like :search escape '\\' or lower(a.displayName) like :search escape '\\')")
                + " order by g.grantee.id, g.status, g.account.id", Object[].class)
                .setParameter("user", userId).setParameter("now", now);
        if (!text.isEmpty()) {
            query.setParameter("search", Page.containsPattern(text));
        }
        return query.setFirstResult(offset).setMaxResults(limit).getResultStream().map(row -> (Long) row[2])
                .toList();
    }

    /** How many accounts are shared with the user now, for the API's page totals. */
    @Transactional
    public long sharedCount(Long userId, Instant now) {
        return entityManager().createQuery("select count(distinct g.account.id) from Grant g where "
                + Grant.ACTIVE_FOR_USER, Long.class).setParameter("user", userId).setParameter("now", now)
                .getSingleResult();
    }

    /** Whether the user can act in this account now: it is theirs, or they hold an active grant in it. */
    @Transactional
    public boolean reaches(Long userId, Long accountId, Instant now) {
        return accountId.equals(Account.idOwnedBy(userId))
                || !entityManager().createQuery("select g.id from Grant g where g.account.id = :account and "
                        + Grant.ACTIVE_FOR_USER, Long.class).setParameter("account", accountId)
                        .setParameter("user", userId).setParameter("now", now).setMaxResults(1).getResultList()
                        .isEmpty();
    }

    private static EntityManager entityManager() {
        return Grant.getEntityManager();
    }
}
