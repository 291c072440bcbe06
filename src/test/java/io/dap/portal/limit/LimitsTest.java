package io.dap.portal.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.dap.portal.web.TooManyRequests;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R20: every action that sends mail or creates a token is counted per client, per actor and per
 * recipient in the database; past a limit the answer is 429 with Retry-After, nothing is sent and
 * the refusal is audited. The address mailed never receives more than its budget, whoever asks.
 */
@QuarkusTest
class LimitsTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    @Inject
    Mailbox mailbox;

    @Inject
    RateLimiter limiter;

    @Inject
    Limits limits;

    @BeforeEach
    void clearMailAndSetTheDefaultAllowances() {
        mailbox.clear();
        // the suite's configuration lifts the limits; these are the documented defaults
        allow(Map.of());
    }

    /** The default allowances (5 per recipient, 50 per actor), with some replaced for one test. */
    private static void allow(Map<LimitedAction.Dimension, Integer> allowances) {
        QuarkusMock.installMockForType(new LimitSettings() {
            @Override
            public Duration window() {
                return Duration.ofHours(1);
            }

            @Override
            public int allowed(LimitedAction action, LimitedAction.Dimension dimension) {
                return allowances.getOrDefault(dimension, switch (dimension) {
                    case CLIENT -> 100_000;
                    case RECIPIENT -> 5;
                    case ACTOR -> 50;
                });
            }
        }, LimitSettings.class);
    }

    private static void assertTooMany(Response response, String what) {
        assertEquals(429, response.statusCode(), what + ": " + response.asString());
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 3600, what + ": Retry-After " + retryAfter);
        assertTrue(response.header("Content-Security-Policy") != null, what);
        if (response.contentType().startsWith("application/problem+json")) {
            assertEquals(429, response.jsonPath().getInt("status"));
            assertTrue(response.jsonPath().getString("detail").contains("Try again in"), what);
        } else {
            assertTrue(response.contentType().startsWith("text/html"), what);
            assertTrue(response.asString().contains("Too many requests") && response.asString().contains("Try again in"),
                    what);
        }
    }

    private static long refusalsAbout(String address) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "action = ?1 and outcome = ?2 and target like ?3", "RATE_LIMITED", AuditEvent.Outcome.REFUSED,
                "%" + address + "%").stream().mapToLong(e -> e.repeatCount).sum());
    }

    @Test
    void thirtyForgotPasswordRequestsForOneAddressSendOnlyItsBudget() {
        User user = users.active("forgot-flood");
        int sent = 0;
        for (int i = 0; i < 30; i++) {
            // thirty different clients: only the address's own budget can stop them
            Browser browser = new Browser().from("198.51.100." + (i + 1));
            Response response = browser.post("/forgot-password", "email", user.email);
            if (i < 5) {
                assertEquals(303, response.statusCode(), "request " + i);
                sent++;
            } else {
                assertTooMany(response, "request " + i);
            }
        }
        assertEquals(sent, mailbox.deliverAndRead(user.email).size(), "five mails, not thirty");
        assertEquals(25, refusalsAbout(user.email), "every refusal audited");
    }

    @Test
    void theRecipientBudgetIsSharedByEveryActionAndEveryone() {
        String victim = Users.uniqueEmail("victim");
        User ownerA = users.active("budget-a");
        User ownerB = users.active("budget-b");
        Browser a = new Browser().signIn(ownerA.email, Users.PASSWORD);
        Browser b = new Browser().signIn(ownerB.email, Users.PASSWORD);
        assertEquals(303, a.post("/accounts/" + accounts.accountOf(ownerA) + "/sharing/invite", "email", victim,
                "role", "ACCOUNT_READ_ONLY").statusCode());
        assertEquals(303, b.post("/accounts/" + accounts.accountOf(ownerB) + "/sharing/invite", "email", victim,
                "role", "ACCOUNT_READ_ONLY").statusCode());
        assertEquals(303, new Browser().post("/forgot-password", "email", victim).statusCode());
        assertEquals(303, new Browser().post("/activate", "email", victim).statusCode());
        assertEquals(303, new Browser().post("/signup", "email", victim, "displayName", "Victim", "password",
                "a long enough passphrase").statusCode());
        // the budget (5) is spent: a third owner through the API is refused, and so is everyone else
        User ownerC = users.active("budget-c");
        Infrastructure infrastructure = accounts.infrastructure(accounts.accountOf(ownerC), ownerC, "Web");
        assertTooMany(ApiFixtures.json(api.global(ownerC), Map.of("email", victim, "role", "INFRASTRUCTURE_READ_ONLY"))
                .post("/api/v1/accounts/" + accounts.accountOf(ownerC) + "/infrastructures/" + infrastructure.id
                        + "/grants"), "API invite");
        assertTooMany(new Browser().post("/forgot-password", "email", victim), "forgot");
        assertTooMany(a.post("/accounts/" + accounts.accountOf(ownerA) + "/sharing/invite", "email", victim,
                "role", "ACCOUNT_ADMINISTRATOR"), "invite again");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Grant.count(
                "grantee.email = ?1 and account.owner.id = ?2", victim, ownerC.id)), "nothing created");
        assertTrue(mailbox.deliverAndRead(victim).size() <= 5, "never more than the budget");
    }

    @Test
    void eachActionIsLimitedPerClientAddress() {
        allow(Map.of(LimitedAction.Dimension.CLIENT, 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(303, new Browser().from("203.0.113.50").post("/signup", "email", Users.uniqueEmail("client"),
                    "displayName", "Client", "password", "a long enough passphrase").statusCode());
        }
        String refused = Users.uniqueEmail("client-refused");
        assertTooMany(new Browser().from("203.0.113.50").post("/signup", "email", refused, "displayName", "Client",
                "password", "a long enough passphrase"), "fourth sign-up from one client");
        assertFalse(QuarkusTransaction.requiringNew().call(() -> User.findByEmail(refused).isPresent()),
                "no user was created");
        assertEquals(0, mailbox.deliverAndRead(refused).size(), "and no mail sent");
        assertEquals(303, new Browser().from("203.0.113.51").post("/signup", "email", Users.uniqueEmail("client"),
                "displayName", "Client", "password", "a long enough passphrase").statusCode(), "another client");
        assertEquals(303, new Browser().from("203.0.113.50").post("/forgot-password", "email",
                Users.uniqueEmail("client")).statusCode(), "another action from the same client");
    }

    @Test
    void invitationsArePerActorOnThePagesAndTheApiTogetherAndResendsCount() {
        allow(Map.of(LimitedAction.Dimension.ACTOR, 3));
        User owner = users.active("inviter");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "ERP");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String token = api.global(owner);
        String grants = "/api/v1/accounts/" + account + "/infrastructures/" + infrastructure.id + "/grants";
        assertEquals(303, browser.post("/accounts/" + account + "/sharing/invite", "email",
                Users.uniqueEmail("inv"), "role", "ACCOUNT_READ_ONLY").statusCode());
        assertEquals(303, browser.post("/accounts/" + account + "/infrastructures/" + infrastructure.id
                + "/sharing/invite", "email", Users.uniqueEmail("inv"), "role", "INFRASTRUCTURE_READ_ONLY")
                .statusCode());
        Response created = ApiFixtures.json(token, Map.of("email", Users.uniqueEmail("inv"), "role",
                "INFRASTRUCTURE_READ_ONLY")).post(grants);
        assertEquals(201, created.statusCode(), created.asString());
        String fourth = Users.uniqueEmail("inv-refused");
        assertTooMany(ApiFixtures.json(token, Map.of("email", fourth, "role", "INFRASTRUCTURE_READ_ONLY"))
                .post(grants), "fourth through the API");
        assertTooMany(browser.post("/accounts/" + account + "/sharing/invite", "email", fourth, "role",
                "ACCOUNT_READ_ONLY"), "fifth on the page");
        Long pending = created.jsonPath().getLong("id");
        assertTooMany(browser.post("/accounts/" + account + "/infrastructures/" + infrastructure.id + "/sharing/"
                + pending + "/resend"), "a resend is an invitation too");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Grant.count("grantee.email", fourth)));
        assertEquals(0, mailbox.deliverAndRead(fourth).size());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "action = ?1 and userId = ?2", "RATE_LIMITED", owner.id)) > 0, "audited with the actor");
    }

    @Test
    void apiTokenCreationIsLimitedPerActorAndRefusedFormsDoNotCount() {
        allow(Map.of(LimitedAction.Dimension.ACTOR, 2));
        User me = users.active("tokens-limit");
        Browser browser = new Browser().signIn(me.email, Users.PASSWORD);
        for (int i = 0; i < 3; i++) {
            browser.get("/settings/api-tokens");
            assertEquals(303, browser.post("/settings/api-tokens", "name", "", "scope", "GLOBAL").statusCode());
        }
        ApiFixtures.createThroughPage(browser, "one", "RESTRICTED", accounts.accountOf(me), null);
        ApiFixtures.createThroughPage(browser, "two", "RESTRICTED", accounts.accountOf(me), null);
        String page = browser.get("/settings/api-tokens").asString();
        assertTooMany(browser.post("/settings/api-tokens", "name", "three", "scope", "RESTRICTED", "account",
                accounts.accountOf(me).toString(), "expires", java.time.LocalDate.now().plusDays(5).toString(),
                "once", ApiFixtures.formOnce(page)), "third token");
        assertEquals(2L, (long) QuarkusTransaction.requiringNew().call(
                () -> io.dap.portal.apitoken.ApiToken.count("user.id", me.id)));
    }

    @Test
    void aLimitLastsUntilItsWindowEnds() {
        MutableClock clock = new MutableClock(Instant.parse("2031-03-04T10:15:00Z"));
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User user = users.active("window");
        for (int i = 0; i < 5; i++) {
            assertEquals(303, new Browser().post("/forgot-password", "email", user.email).statusCode());
        }
        Response refused = new Browser().post("/forgot-password", "email", user.email);
        assertTooMany(refused, "sixth");
        assertEquals(45 * 60, Long.parseLong(refused.header("Retry-After")), "until the hour's window ends");
        clock.advance(Duration.ofMinutes(45));
        assertEquals(303, new Browser().post("/forgot-password", "email", user.email).statusCode(), "a new window");
    }

    @Inject
    io.dap.portal.web.PortalConfig config;

    /** Which setting each action is counted against (the suite's configuration raises them all to 100000). */
    @Test
    void eachActionReadsItsOwnSetting() {
        LimitSettings settings = new LimitSettings();
        settings.config = config;
        assertEquals(Duration.ofHours(1), settings.window());
        assertEquals(config.limits().perRecipient(), settings.allowed(LimitedAction.SIGN_UP,
                LimitedAction.Dimension.RECIPIENT));
        assertEquals(config.limits().perClient(), settings.allowed(LimitedAction.PASSWORD_RESET,
                LimitedAction.Dimension.CLIENT));
        assertEquals(config.limits().invitationsPerActor(), settings.allowed(LimitedAction.INVITATION_RESEND,
                LimitedAction.Dimension.ACTOR));
        assertEquals(config.limits().apiTokensPerActor(), settings.allowed(LimitedAction.API_TOKEN,
                LimitedAction.Dimension.ACTOR));
        assertEquals(config.limits().emailChangesPerActor(), settings.allowed(LimitedAction.EMAIL_CHANGE,
                LimitedAction.Dimension.ACTOR));
        assertEquals(Integer.MAX_VALUE, settings.allowed(LimitedAction.SIGN_UP, LimitedAction.Dimension.ACTOR),
                "signed out: no actor to count");
        assertEquals(LimitedAction.INVITE.counter(), LimitedAction.INVITATION_RESEND.counter(), "one count");
    }

    @Test
    void concurrentHitsNeverPassTheLimit() throws Exception {
        String key = "concurrency|" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Duration>>> hits = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                hits.add(pool.submit(() -> limiter.hit(key, 10, Duration.ofHours(1))));
            }
            long allowed = 0;
            for (Future<Optional<Duration>> hit : hits) {
                allowed += hit.get().isEmpty() ? 1 : 0;
            }
            assertEquals(10, allowed);
        } finally {
            pool.shutdown();
        }
    }

    /** The change of email address (built elsewhere) asks the same limiter, against the new address's budget. */
    @Test
    void theEmailChangeFormStopsAtTheNewAddressBudgetAndSendsNothingPastIt() {
        User user = users.active("email-change-flood");
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        String address = Users.uniqueEmail("wanted-address");
        allow(Map.of(LimitedAction.Dimension.ACTOR, 100));
        for (int i = 0; i < 5; i++) {
            assertEquals(303, browser.post("/settings/email", "newEmail", address, "password", Users.PASSWORD)
                    .statusCode(), "request " + i);
        }
        assertTooMany(browser.post("/settings/email", "newEmail", address, "password", Users.PASSWORD),
                "the sixth link to one address");
        assertEquals(5, mailbox.deliverAndRead(address).size(), "five confirmation links, not six");
        assertEquals(1, refusalsAbout(address));
    }

    @Test
    void anEmailChangeCountsAgainstTheNewAddressBudget() {
        String address = Users.uniqueEmail("new-address");
        var context = Arc.container().requestContext();
        context.activate();
        try {
            for (int i = 0; i < 5; i++) {
                limits.check(LimitedAction.EMAIL_CHANGE, address);
            }
            assertThrows(TooManyRequests.class, () -> limits.check(LimitedAction.EMAIL_CHANGE, address));
        } finally {
            context.terminate();
        }
        assertTooMany(new Browser().post("/forgot-password", "email", address), "the same budget");
    }
}
