package io.dap.portal.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Grant;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * "Who can act here": every way into an account, one person at a time — their grants (account
 * and infrastructures, pending included), the API tokens that act through that access, and an
 * impersonation in progress. The owner's view; never a secret. Five statements per page whatever
 * the number of people, grants or tokens.
 */
@ApplicationScoped
public class WhoCanAct {

    public record Person(Long userId, String email, String displayName, List<GrantRow> grants,
            List<ApiTokenService.ReachingToken> tokens, List<ImpersonationService.Current> impersonations,
            boolean canActNow, String basePath) {

        public String revokeTokenAction(Long tokenId) {
            return basePath + "/who-can-act/tokens/" + tokenId + "/revoke";
        }
    }

    @Inject
    TimeSource time;

    @Inject
    ApiTokenService tokens;

    @Inject
    ImpersonationService impersonations;

    @Transactional
    public Page<Person> page(AccountAccess access, int requestedPage, int size) {
        Instant now = time.now();
        // A person is listed while they hold a pending or accepted grant that has not run out.
        String from = " from Grant g join g.grantee u where g.account.id = :account and (g.status = :pending"
                + " or (g.status = :accepted and (g.endsAt is null or g.endsAt > :now)))";
        var em = Panache.getEntityManager();
        TypedQuery<Long> count = em.createQuery("select count(distinct u.id)" + from, Long.class);
        TypedQuery<Object[]> people = em.createQuery("select distinct u.id, u.email, u.displayName" + from
                + " order by u.email, u.id", Object[].class);
        for (TypedQuery<?> query : List.<TypedQuery<?>>of(count, people)) {
            query.setParameter("account", access.accountId());
            query.setParameter("pending", Grant.Status.PENDING);
            query.setParameter("accepted", Grant.Status.ACCEPTED);
            query.setParameter("now", now);
        }
        long total = count.getSingleResult();
        int number = Page.clampNumber(requestedPage, total, size);
        List<Object[]> rows = people.setFirstResult((number - 1) * size).setMaxResults(size).getResultList();
        if (rows.isEmpty()) {
            return new Page<>(List.of(), number, size, total);
        }
        List<Long> ids = rows.stream().map(r -> (Long) r[0]).toList();
        List<Grant> grants = Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = ?1 and g.grantee.id in ?2"
                + " and g.status in (?3, ?4) order by g.scope, g.id", access.accountId(), ids, Grant.Status.PENDING,
                Grant.Status.ACCEPTED);
        Map<Long, List<Grant>> byPerson = new LinkedHashMap<>();
        grants.forEach(g -> byPerson.computeIfAbsent(g.grantee.id, id -> new ArrayList<>()).add(g));
        String base = access.path() + "/sharing";
        Map<Long, GrantRow> rowsById = new LinkedHashMap<>();
        SharingService.rows(grants, SharingService.latestInvitations(grants), now, base)
                .forEach(r -> rowsById.put(r.id(), r));
        Map<Long, List<ApiTokenService.ReachingToken>> tokensByPerson = new LinkedHashMap<>();
        tokens.reaching(access.accountId(), ids)
                .forEach(t -> tokensByPerson.computeIfAbsent(t.creatorId(), id -> new ArrayList<>()).add(t));
        List<ImpersonationService.Current> current = impersonations.current(access);
        List<Person> items = rows.stream().map(r -> {
            Long id = (Long) r[0];
            List<Grant> held = byPerson.getOrDefault(id, List.of());
            boolean canActNow = held.stream().anyMatch(g -> g.isActive(now));
            return new Person(id, (String) r[1], (String) r[2],
                    held.stream().map(g -> rowsById.get(g.id)).toList(),
                    canActNow ? tokensByPerson.getOrDefault(id, List.of()) : List.of(),
                    current.stream().filter(i -> i.impersonatorEmail().equals(r[1])).toList(), canActNow, base);
        }).toList();
        return new Page<>(items, number, size, total);
    }
}
