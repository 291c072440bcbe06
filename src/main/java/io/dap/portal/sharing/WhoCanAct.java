package io.dap.portal.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.dap.portal.access.AccountAccess;
import io.dap.portal.access.Grant;
import io.dap.portal.apitoken.ApiTokenService;
import io.dap.portal.impersonation.ImpersonationService;
import io.dap.portal.user.User;
import io.dap.portal.web.InList;
import io.dap.portal.web.Page;
import io.dap.portal.web.TimeSource;

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
            boolean canActNow, String basePath, boolean disabled) {

        public String revokeTokenAction(Long tokenId) {
            return basePath + "/who-can-act/tokens/" + tokenId + "/revoke";
        }
    }

    /**
     * The people of one account. Written without parentheses inside parentheses: Hibernate's HQL parser
     * needed some 60 MB of heap the first time it read the nested form, enough to exhaust a 128 MB heap
     * when two requests did so at once.
     */
    static final String PEOPLE = "select distinct g.account.id, g.grantee.id from Grant g where g.account.id = ?1"
            + " and " + Grant.standingAt("g", "?2")
            + " order by g.account.id, g.grantee.id";

    @Inject
    TimeSource time;

    @Inject
    ApiTokenService tokens;

    @Inject
    ImpersonationService impersonations;

    @Transactional
    public Page<Person> page(AccountAccess access, int requestedPage, int size) {
        return page(access.accountId(), access.path() + "/sharing", requestedPage, size);
    }

    /**
     * The same for any account, for the operator console and its panel (R21); the actions of the
     * rows lead under {@code base}, the account's sharing path.
     */
    @Transactional
    public Page<Person> page(Long accountId, String base, int requestedPage, int size) {
        Instant now = time.now();
        int number = Math.max(1, requestedPage);
        // A person is listed while they hold a pending or accepted grant that has not run out; people
        // come in the order of their user ids, straight from the account's grants index (no sort, no count).
        List<Long> found = Grant.getEntityManager().createQuery(PEOPLE, Object[].class)
                .setParameter(1, accountId).setParameter(2, now)
                .setFirstResult((number - 1) * size).setMaxResults(size + 1).getResultStream()
                .map(row -> (Long) row[1]).toList();
        boolean more = found.size() > size;
        if (found.isEmpty()) {
            return Page.slice(List.of(), number, size, false);
        }
        List<Long> ids = found.stream().limit(size).toList();
        InList people = InList.of("person", ids);
        List<Grant> grants = Grant.list("select g from Grant g join fetch g.grantee join fetch g.invitedBy"
                + " left join fetch g.infrastructure where g.account.id = :account and g.grantee.id in " + people.sql()
                + " and " + Grant.open("g") + " order by g.scope, g.id",
                people.parametersWith(Map.of("account", accountId)));
        Map<Long, List<Grant>> byPerson = new LinkedHashMap<>();
        grants.forEach(g -> byPerson.computeIfAbsent(g.grantee.id, id -> new ArrayList<>()).add(g));
        Map<Long, GrantRow> rowsById = new LinkedHashMap<>();
        GrantRows.rows(grants, GrantRows.latestInvitations(grants), now, base)
                .forEach(r -> rowsById.put(r.id(), r));
        Map<Long, List<ApiTokenService.ReachingToken>> tokensByPerson = new LinkedHashMap<>();
        tokens.reaching(accountId, ids)
                .forEach(t -> tokensByPerson.computeIfAbsent(t.creatorId(), id -> new ArrayList<>()).add(t));
        List<ImpersonationService.Current> current = impersonations.current(accountId, base + "/impersonations/");
        List<Person> items = ids.stream().filter(byPerson::containsKey).map(id -> {
            List<Grant> held = byPerson.get(id);
            User person = held.get(0).grantee;
            boolean disabled = person.status == User.Status.DISABLED;
            // A disabled person's grants give nothing until they are enabled again (R21).
            boolean canActNow = !disabled && held.stream().anyMatch(g -> g.isActive(now));
            return new Person(id, person.email, person.displayName,
                    held.stream().map(g -> rowsById.get(g.id)).toList(),
                    canActNow ? tokensByPerson.getOrDefault(id, List.of()) : List.of(),
                    current.stream().filter(i -> i.impersonatorEmail().equals(person.email)).toList(), canActNow, base,
                    disabled);
        }).toList();
        return Page.slice(items, number, size, more);
    }
}
