package io.dap.portal.switching;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.ReachableAccounts;
import io.dap.portal.access.Rights;
import io.dap.portal.access.Role;
import io.dap.portal.access.SessionUser;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The accounts a user can act in (R12): their own, and every account where they hold an active
 * grant, with the role there and, for infrastructure grants, the infrastructures. Recently used
 * accounts come first; "recently used" lives in the database so it follows the user everywhere.
 *
 * <p>Every page's header asks for a few of them, so the menu starts from the user's own rows,
 * through indexes that hold what is asked: their most recent visits, then their grants in account
 * order. Its cost is what it shows, however many accounts the user or the portal holds.
 */
@ApplicationScoped
public class SwitchAccountService {

    /** A visit is written at most this often per account, not on every request. */
    private static final Duration VISIT_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    TimeSource time;

    @Inject
    ReachableAccounts reachable;

    public record Choice(Long accountId, String name, String ownerName, String ownerEmail, String colour,
            String role, List<String> infrastructures, boolean own) {

        public String path() {
            return "/accounts/" + accountId + "/infrastructures";
        }

        public String colourClass() {
            return io.dap.portal.account.AccountColour.of(colour).cssClass();
        }
    }

    /**
     * The header menu: the user's own account, a few shared ones (the first {@code recentCount} of
     * them recently used), and whether there are more.
     */
    public record Menu(Choice own, List<Choice> shared, int recentCount, boolean more) {

        public List<Choice> recent() {
            return shared.subList(0, Math.min(recentCount, shared.size()));
        }
    }

    /** Remembers that the user acts in this account now. Never fails the request it is part of. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void visited(Long userId, Long accountId) {
        Instant now = time.now();
        int touched = AccountVisit.update("visitedAt = ?1 where userId = ?2 and accountId = ?3 and visitedAt < ?4",
                now, userId, accountId, now.minus(VISIT_GRANULARITY));
        if (touched == 0 && AccountVisit.count("userId = ?1 and accountId = ?2", userId, accountId) == 0) {
            AccountVisit visit = new AccountVisit();
            visit.userId = userId;
            visit.accountId = accountId;
            visit.visitedAt = now;
            try {
                visit.persistAndFlush();
            } catch (PersistenceException e) {
                // Another tab recorded the same first visit at the same moment: that one counts.
            }
        }
    }

    /** The user's own account, as the session read it: no statement of its own. */
    public static Choice own(SessionUser user) {
        return new Choice(user.accountId(), user.accountName(), user.displayName(), user.email(), user.accountColour(),
                Role.OWNER.label(), List.of(), true);
    }

    /**
     * The header menu: the {@code size} most recently used shared accounts, topped up in account
     * order when the user used fewer. Two statements: which accounts (the user's latest visits
     * and their first grants, side by side, each from its index and limited), then their grants.
     */
    @Transactional
    public Menu menu(SessionUser user, int size) {
        Instant now = time.now();
        // The filtered columns lead each ORDER BY, as in the index read, so H2 stops after the limit
        // (PostgreSQL does on its own). The second part lists grants, so it reads a few extra. Plain
        // SQL, as every page runs it: Hibernate's HQL parser needs tens of megabytes to learn a query
        // nested this deep, which the first pages after a start, arriving together, each paid at once.
        String live = " g.grantee_id = ?1 and " + Grant.activeSql("g", "?2");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("(select v.account_id, 0 from account_visit v"
                + " where v.user_id = ?1 and exists (select 1 from access_grant g where g.account_id = v.account_id and"
                + live + ") order by v.user_id, v.visited_at desc fetch first " + (size + 1) + " rows only)"
                + " union all (select g.account_id, 1 from access_grant g where" + live
                + " order by g.grantee_id, g.status, g.account_id fetch first " + 4 * (size + 1) + " rows only)")
                .setParameter(1, user.userId()).setParameter(2, now).getResultList();
        Set<Long> visited = new LinkedHashSet<>();
        Set<Long> ids = new LinkedHashSet<>();
        rows.stream().filter(r -> ((Number) r[1]).intValue() == 0).forEach(r -> visited.add(((Number) r[0]).longValue()));
        ids.addAll(visited);
        rows.stream().filter(r -> ((Number) r[1]).intValue() == 1).forEach(r -> ids.add(((Number) r[0]).longValue()));
        List<Long> shown = ids.stream().limit(size).toList();
        List<Choice> choices = choices(user.userId(), shown, now);
        int recent = (int) choices.stream().filter(c -> visited.contains(c.accountId())).count();
        return new Menu(own(user), choices, recent, ids.size() > size);
    }

    /**
     * One page of the accounts shared with the user (their own account is not part of it), in
     * account order, straight from the user's grants index; with a search, those whose owner's
     * name or email or whose account name contains it. No count: the pager offers the next page
     * when there is one. Two statements: the page's accounts, then their grants.
     */
    @Transactional
    public Page<Choice> shared(Long userId, String search, int requestedPage, int size) {
        Instant now = time.now();
        int number = Math.max(1, requestedPage);
        List<Long> ids = reachable.shared(userId, search, (number - 1) * size, size + 1, now);
        return Page.slice(choices(userId, ids.stream().limit(size).toList(), now), number, size, ids.size() > size);
    }

    /**
     * The accounts, in the given order, with the user's rights in each (R16): one statement. The
     * grants are found by (account, person), one index probe per account shown, never by walking
     * all the user's grants (H2 would, for a person holding grants in a thousand accounts).
     */
    private static List<Choice> choices(Long userId, List<Long> accountIds, Instant now) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        InList inAccounts = InList.of("account", accountIds);
        List<Object[]> rows = inAccounts.bind(Panache.getEntityManager().createQuery("select a.id, a.displayName, a.colour,"
                + " o.displayName, o.email, g.role, i.id, i.label from Grant g join g.account a join a.owner o"
                + " left join g.infrastructure i where g.id in (select s.id from Grant s where s.account.id in "
                + inAccounts.sql() + " and s.grantee.id = :user) and " + Grant.ACTIVE_FOR_USER + " order by g.id",
                Object[].class)).setParameter("user", userId).setParameter("now", now).getResultList();
        Map<Long, Object[]> accounts = new LinkedHashMap<>();
        Map<Long, Rights> rights = new LinkedHashMap<>();
        Map<Long, String> infrastructureLabels = new LinkedHashMap<>();
        for (Object[] row : rows) {
            Long accountId = (Long) row[0];
            accounts.putIfAbsent(accountId, row);
            Role role = (Role) row[5];
            Long infrastructureId = role.scope() == Role.Scope.ACCOUNT ? null : (Long) row[6];
            rights.merge(accountId, Rights.none().with(role, infrastructureId), (a, b) -> a.with(role, infrastructureId));
            if (infrastructureId != null) {
                infrastructureLabels.put(infrastructureId, (String) row[7]);
            }
        }
        List<Choice> choices = new ArrayList<>();
        for (Long accountId : accountIds) {
            Object[] row = accounts.get(accountId);
            if (row == null) {
                continue;
            }
            Rights there = rights.get(accountId);
            Role accountRole = there.accountRole();
            // R16: the account-wide role, and each infrastructure grant that adds to it.
            List<String> infrastructures = there.addedInfrastructureRoles().entrySet().stream()
                    .map(e -> infrastructureLabels.get(e.getKey()) + " (" + e.getValue().label() + ")").toList();
            choices.add(new Choice(accountId, (String) row[1], (String) row[3], (String) row[4], (String) row[2],
                    accountRole != null ? accountRole.label() : "Infrastructure delegate", infrastructures, false));
        }
        return choices;
    }
}
