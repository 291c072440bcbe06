package io.dap.portal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.invitation.Invitation;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One grant vocabulary (R9, R17): "active", "open" and "standing" are each written once, in
 * {@link Grant}, and the HQL form selects exactly the grants the Java form accepts, for every
 * status and every kind of end date. No other main source spells the conditions out again.
 */
@QuarkusTest
class GrantVocabularyTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    TimeSource time;

    Long accountId;
    Instant now;

    @BeforeEach
    void oneGrantOfEveryKind() {
        User owner = users.active("vocabulary-owner");
        accountId = accounts.accountOf(owner);
        now = time.now();
        List<Instant> ends = new ArrayList<>();
        ends.add(null);
        ends.add(now.minus(Duration.ofHours(1)));
        ends.add(now.plus(Duration.ofHours(1)));
        for (Grant.Status status : Grant.Status.values()) {
            for (Instant end : ends) {
                grants.direct(accountId, users.active("vocabulary-delegate"), Role.ACCOUNT_READ_ONLY, status, end);
            }
        }
    }

    @Test
    void activeSelectsWhatIsActiveSays() {
        assertSame(Grant.activeAt("g", ":now"), g -> g.isActive(now));
    }

    @Test
    void theSqlFormSelectsWhatIsActiveSays() {
        Set<Long> expected = new TreeSet<>();
        Set<Long> selected = new TreeSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Grant.<Grant>list("account.id", accountId).stream().filter(g -> g.isActive(now))
                    .forEach(g -> expected.add(g.id));
            List<?> ids = Grant.getEntityManager().createNativeQuery("select g.id from access_grant g"
                    + " where g.account_id = ?1 and " + Grant.activeSql("g", "?2"))
                    .setParameter(1, accountId).setParameter(2, now).getResultList();
            ids.forEach(id -> selected.add(((Number) id).longValue()));
        });
        assertFalse(expected.isEmpty());
        assertEquals(expected, selected, "the SQL and the Java form disagree");
    }

    @Test
    void aUsableInvitationIsTheSameInJavaHqlAndSql() {
        Long grantId = QuarkusTransaction.requiringNew().call(() -> Grant.<Grant>find("account.id", accountId)
                .firstResult().id);
        Instant past = now.minus(Duration.ofHours(1));
        Instant later = now.plus(Duration.ofHours(1));
        QuarkusTransaction.requiringNew().run(() -> {
            Grant grant = Grant.findById(grantId);
            int n = 0;
            for (Instant used : new Instant[] { null, past }) {
                for (Instant superseded : new Instant[] { null, past }) {
                    for (Instant expires : new Instant[] { past, later }) {
                        Invitation invitation = new Invitation();
                        invitation.grant = grant;
                        invitation.tokenHash = "vocabulary-" + grantId + "-" + n++;
                        invitation.createdAt = past.minus(Duration.ofHours(1));
                        invitation.usedAt = used;
                        invitation.supersededAt = superseded;
                        invitation.expiresAt = expires;
                        invitation.persist();
                    }
                }
            }
        });
        Set<Long> expected = new TreeSet<>();
        Set<Long> hql = new TreeSet<>();
        Set<Long> sql = new TreeSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            Invitation.<Invitation>list("grant.id", grantId).stream().filter(i -> i.isUsable(now))
                    .forEach(i -> expected.add(i.id));
            hql.addAll(Invitation.getEntityManager().createQuery("select i.id from Invitation i where i.grant.id = :grant"
                    + " and " + Invitation.usableAt("i", ":now"), Long.class).setParameter("grant", grantId)
                    .setParameter("now", now).getResultList());
            List<?> ids = Invitation.getEntityManager().createNativeQuery("select i.id from invitation i"
                    + " where i.grant_id = ?1 and " + Invitation.usableSql("i", "?2")).setParameter(1, grantId)
                    .setParameter(2, now).getResultList();
            ids.forEach(id -> sql.add(((Number) id).longValue()));
        });
        assertEquals(1, expected.size(), "of the eight combinations, only unused, not superseded, unexpired is usable");
        assertEquals(expected, hql, "HQL and Java disagree");
        assertEquals(expected, sql, "SQL and Java disagree");
    }

    @Test
    void openSelectsWhatIsOpenSays() {
        assertSame(Grant.open("g"), Grant::isOpen);
    }

    @Test
    void standingIsPendingOrActive() {
        assertSame(Grant.standingAt("g", ":now"), g -> g.status == Grant.Status.PENDING || g.isActive(now));
    }

    private void assertSame(String condition, Predicate<Grant> inJava) {
        Map<Long, Grant.Status> all = new TreeMap<>();
        Set<Long> expected = new TreeSet<>();
        Set<Long> selected = new TreeSet<>();
        QuarkusTransaction.requiringNew().run(() -> {
            List<Grant> every = Grant.list("account.id", accountId);
            every.forEach(g -> all.put(g.id, g.status));
            every.stream().filter(inJava).forEach(g -> expected.add(g.id));
            var query = Grant.getEntityManager().createQuery("select g.id from Grant g where g.account.id = :account"
                    + " and " + condition, Long.class).setParameter("account", accountId);
            if (condition.contains(":now")) {
                query.setParameter("now", now);
            }
            selected.addAll(query.getResultList());
        });
        assertEquals(Grant.Status.values().length * 3, all.size(), "one grant per status and end date");
        assertFalse(expected.isEmpty(), "the condition accepts some grant");
        assertTrue(expected.size() < all.size(), "the condition refuses some grant");
        assertEquals(expected, selected, "the query and the Java form disagree; statuses: " + all);
    }

    @Test
    void noOtherMainSourceWritesTheGrantOrInvitationConditionsAgain() throws IOException {
        // The telltale pieces of each condition; Grant and Invitation are the one place for them.
        List<String> pieces = List.of("endsAt is null or", "endsAt > ", "status in (", "usedAt is null and",
                "\"accepted\"", "ends_at is null or", "used_at is null", "'ACCEPTED'");
        Set<String> owners = Set.of("access/Grant.java", "invitation/Invitation.java");
        Path main = Path.of("src/main/java/io/dap/portal");
        List<String> found;
        try (Stream<Path> files = Files.walk(main)) {
            found = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !owners.contains(main.relativize(f).toString().replace('\\', '/')))
                    .flatMap(f -> lines(f).stream().filter(l -> l.contains("Grant") || l.contains(" g.")
                            || l.contains("Invitation") || l.contains(" i."))
                            .filter(l -> pieces.stream().anyMatch(l::contains))
                            .map(l -> main.relativize(f) + ": " + l.strip()))
                    .filter(l -> !l.contains("t.expiresAt") && !l.contains("ApiToken"))
                    .collect(Collectors.toList());
        }
        assertTrue(found.isEmpty(), "grant or invitation conditions written outside Grant/Invitation:\n"
                + String.join("\n", found));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
