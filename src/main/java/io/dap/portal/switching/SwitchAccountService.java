package io.dap.portal.switching;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Rights;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The accounts a user can act in (R12): their own, and every account where they hold an active
 * grant, with the role there and, for infrastructure grants, the infrastructures. Recently used
 * accounts come first; "recently used" lives in the database so it follows the user everywhere.
 */
@ApplicationScoped
public class SwitchAccountService {

    /** A visit is written at most this often per account, not on every request. */
    private static final Duration VISIT_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    TimeSource time;

    public record Choice(Long accountId, String name, String ownerName, String ownerEmail, String colour,
            String role, List<String> infrastructures, boolean own) {

        public String path() {
            return "/accounts/" + accountId + "/infrastructures";
        }

        public String colourClass() {
            return io.dap.portal.account.AccountColour.of(colour).cssClass();
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

    /**
     * One page of the accounts shared with the user (their own account is not part of it),
     * recently used first, then by owner name; optionally filtered by owner name or email.
     * Three statements whatever the number of accounts: count, page, and the page's grants.
     */
    @Transactional
    public Page<Choice> shared(Long userId, String search, int requestedPage, int size) {
        Instant now = time.now();
        String pattern = Page.containsPattern(search == null ? "" : search.strip().toLowerCase(Locale.ROOT));
        String from = " from Account a join a.owner o left join AccountVisit v on v.accountId = a.id and v.userId = :user"
                + " where exists (select 1 from Grant g where g.account = a and g.grantee.id = :user"
                + " and g.status = :accepted and (g.endsAt is null or g.endsAt > :now))"
                + " and (lower(o.displayName) like :search escape '\\' or lower(o.email) like :search escape '\\'"
                + " or lower(a.displayName) like :search escape '\\')";
        var em = Panache.getEntityManager();
        var count = em.createQuery("select count(a)" + from, Long.class);
        var rows = em.createQuery("select a.id, a.displayName, o.displayName, o.email, a.colour" + from
                + " order by case when v.visitedAt is null then 1 else 0 end, v.visitedAt desc, lower(o.displayName),"
                + " a.id", Object[].class);
        for (var query : List.of(count, rows)) {
            query.setParameter("user", userId);
            query.setParameter("accepted", Grant.Status.ACCEPTED);
            query.setParameter("now", now);
            query.setParameter("search", pattern);
        }
        long total = count.getSingleResult();
        int number = Page.clampNumber(requestedPage, total, size);
        List<Object[]> page = rows.setFirstResult((number - 1) * size).setMaxResults(size).getResultList();
        if (page.isEmpty()) {
            return new Page<>(List.of(), number, size, total);
        }
        List<Long> ids = page.stream().map(r -> (Long) r[0]).toList();
        List<Grant> held = Grant.activeIn(ids, userId, now);
        Map<Long, Rights> rights = Grant.rightsByAccount(held);
        Map<Long, String> infrastructureLabels = new HashMap<>();
        held.stream().filter(g -> g.infrastructure != null)
                .forEach(g -> infrastructureLabels.put(g.infrastructure.id, g.infrastructure.label));
        List<Choice> choices = new ArrayList<>();
        for (Object[] row : page) {
            Rights there = rights.getOrDefault((Long) row[0], Rights.none());
            Role accountRole = there.accountRole();
            // R16: the account-wide role, and each infrastructure grant that adds to it.
            List<String> infrastructures = there.addedInfrastructureRoles().entrySet().stream()
                    .map(e -> infrastructureLabels.get(e.getKey()) + " (" + e.getValue().label() + ")").toList();
            choices.add(new Choice((Long) row[0], (String) row[1], (String) row[2], (String) row[3],
                    (String) row[4], accountRole != null ? accountRole.label() : "Infrastructure delegate",
                    infrastructures, false));
        }
        return new Page<>(choices, number, size, total);
    }

    /** The header menu: the user's own account, then the first few shared accounts. */
    @Transactional
    public Menu menu(Long userId, Long ownAccountId, int size) {
        Account own = Account.find("select a from Account a join fetch a.owner where a.id = ?1", ownAccountId)
                .firstResult();
        Choice mine = new Choice(own.id, own.displayName, own.owner.displayName, own.owner.email, own.colour,
                Role.OWNER.label(), List.of(), true);
        Page<Choice> shared = size == 0 ? new Page<>(List.of(), 1, 1, 0) : shared(userId, "", 1, size);
        return new Menu(mine, shared.items(), shared.total() > shared.items().size(), shared.total());
    }

    public record Menu(Choice own, List<Choice> shared, boolean more, long sharedTotal) {
    }

}
