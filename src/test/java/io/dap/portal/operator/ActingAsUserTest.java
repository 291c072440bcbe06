package io.dap.portal.operator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.OperatorFixtures;
import io.dap.portal.support.RefusalMark;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.switching.AccountVisit;
import io.dap.portal.twofactor.TwoFactor;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R21, acting as a user for support: what it takes to start (a reason and a fresh code), what it
 * shows (the user's pages, a banner, the delegations of the account in view), what it never does
 * (any change while read-only; settings, invitations, sharing and impersonation ever — so no
 * operator can give anyone, themselves included, access), how it is recorded (both people, in the
 * account's log and the user's security log) and every way it ends.
 */
@QuarkusTest
class ActingAsUserTest {

    private static final String REASON = "Ticket 4711: the ERP deploy fails";

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    OperatorFixtures operators;

    @Inject
    TwoFactorCodes codes;

    @Inject
    Mailbox mailbox;

    private MutableClock clock;
    private OperatorFixtures.Operator lead;
    private Browser operator;
    private User user;
    private Long account;

    @BeforeEach
    void anOperatorAndAUser() {
        clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        mailbox.clear();
        lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        operator = codes.signIn(new Browser(), lead.user(), lead.secret());
        user = users.active("acted-as");
        account = accounts.accountOf(user);
    }

    @Test
    void startingTakesAReasonAndAFreshCodeTellsTheUserAtOnceAndShowsTheirPagesReadOnly() {
        RefusalMark mark = RefusalMark.now();
        // Nothing starts without a reason, without a code, or with a wrong code.
        assertActRefused(act("", code()), "Say why");
        assertActRefused(act(REASON, ""), "Enter the code");
        assertActRefused(act(REASON, "000000"), "That code is not right");
        // counted from this test's start: the operator's address is fixed, so other tests' wrong codes are theirs too
        assertEquals(1, count(AuditEvent.class, "userId = ?1 and action = 'TWO_FACTOR_FAILED' and detail = ?2"
                + " and occurredAt >= ?3", lead.user().id, "acting as a user", clock.instant().minusSeconds(1)),
                "the wrong code is audited");
        assertEquals(0, supportSessionsOf(user));
        assertTrue(mailbox.deliverAndRead(user.email).isEmpty());

        String fresh = nextCode();
        Instant before = clock.instant();
        Response started = act(REASON, fresh);
        assertEquals(303, started.statusCode());
        assertEquals("/accounts/" + account + "/infrastructures", location(started));
        Impersonation acting = latestSupportSessionOf(user);
        assertEquals(Impersonation.Kind.OPERATOR_SUPPORT, acting.kind);
        assertEquals(REASON, acting.reason);
        assertNull(acting.grant);
        assertNull(acting.changesAllowedAt);
        assertFalse(acting.expiresAt.isAfter(before.plus(Duration.ofMinutes(30)).plusSeconds(60)),
                "at most 30 minutes: " + acting.expiresAt);
        assertTrue(acting.expiresAt.isAfter(before.plus(Duration.ofMinutes(29))));

        // The user's own pages, with the banner and the delegations panel of the account in view.
        String page = operator.follow(started).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Portal support: you (" + lead.user().email + ") are acting as " + user.email
                + ", read-only"), page);
        assertTrue(page.contains("Delegations of " + user.displayName));
        assertTrue(page.contains("Allow changes…"));

        Mail mail = mailbox.single(user.email);
        assertEquals("The portal's support staff are acting as you", mail.getSubject());
        assertTrue(mail.getText().contains(lead.user().email) && mail.getText().contains(REASON), mail.getText());

        AuditEvent start = latest("ACTING_AS_USER_STARTED");
        assertEquals(lead.user().id, start.userId);
        assertEquals(user.id, start.onBehalfOfId);
        assertEquals(user.id, start.subjectUserId);
        assertEquals(account, start.accountId);
        assertTrue(start.byOperator);
        assertTrue(start.detail.contains(REASON), start.detail);
        assertEquals(0, mark.since(lead.user().id));
    }

    @Test
    void readOnlyRefusesEveryChangeAuditedUnderBothNamesAndLeavesEverythingAsItWas() {
        startActing();
        RefusalMark mark = RefusalMark.now();
        Response create = operator.post("/accounts/" + account + "/infrastructures", "label", "Sneaky",
                "description", "");
        assertEquals(403, create.statusCode());
        assertTrue(create.asString().contains("read-only"), create.asString());
        operator.post("/notifications/read").then().statusCode(403);
        assertEquals(0, count(Infrastructure.class, "account.id = ?1", account));
        assertEquals(2, mark.since(lead.user().id));
        AuditEvent refusal = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "userId = ?1 and outcome = ?2 and target like ?3 order by id desc", lead.user().id,
                AuditEvent.Outcome.REFUSED, "POST /accounts/%/infrastructures%").firstResult());
        assertEquals(user.id, refusal.onBehalfOfId);
        assertTrue(refusal.byOperator);
        assertTrue(refusal.target.endsWith("(acting as a user, read-only)"), refusal.target);
    }

    @Test
    void evenWithChangesConfirmedAnOperatorNeverGrantsAccessNorTouchesTheUsersSettings() throws Exception {
        User other = users.active("acted-other-owner");
        Long otherAccount = accounts.accountOf(other);
        grants.direct(otherAccount, user, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Long infrastructure = accounts.infrastructure(otherAccount, other, "ERP").id;
        startActing();
        allowChanges();
        RefusalMark mark = RefusalMark.now();
        List<Response> refused = List.of(
                // Invite themselves, or anyone, to the user's account or to one the user administers.
                operator.post("/accounts/" + account + "/sharing/invite", "email", lead.user().email, "role",
                        Role.ACCOUNT_ADMINISTRATOR.name(), "label", "", "until", ""),
                operator.post("/accounts/" + otherAccount + "/infrastructures/" + infrastructure + "/sharing/invite",
                        "email", lead.user().email, "role", Role.INFRASTRUCTURE_ADMINISTRATOR.name(), "label", "",
                        "until", ""),
                operator.post("/accounts/" + account + "/sharing/two-factor", "required", "on"),
                operator.post("/accounts/" + otherAccount + "/impersonation", "reason", "x", "password", "x"),
                // The user's own settings and answers.
                operator.post("/settings/account", "name", "Renamed by support", "colour", "#b91c1c"),
                operator.post("/settings/api-tokens", "name", "backdoor", "scope", "GLOBAL"),
                operator.post("/settings/ssh-keys", "label", "mine", "publicKey", Accounts.fixtureKey("ed25519")),
                operator.post("/settings/sessions/revoke-all"),
                operator.post("/invitations/" + "a".repeat(43) + "/accept"),
                operator.get("/settings/two-factor"));
        for (Response response : refused) {
            assertEquals(403, response.statusCode(), response.asString());
        }
        assertEquals(refused.size(), mark.since(lead.user().id));
        assertEquals(0, count(Grant.class, "grantee.id = ?1", lead.user().id), "no grant to the operator");
        assertEquals(0, count(io.dap.portal.apitoken.ApiToken.class, "user.id = ?1", user.id));
        assertEquals(0, count(io.dap.portal.sshkey.SshKey.class, "user.id = ?1", user.id));
        assertEquals(user.displayName, QuarkusTransaction.requiringNew()
                .call(() -> io.dap.portal.account.Account.<io.dap.portal.account.Account>findById(account).displayName));
    }

    @Test
    void changesNeedTheirOwnConfirmationWhichTheUserHearsOfAndEachChangeCarriesBothNames() {
        startActing();
        // The confirmation needs the box and a word on what for.
        Response unticked = operator.post("/operator/acting/changes", "reason", "Fix the ERP drive size");
        assertEquals("/operator/acting/changes", location(unticked));
        assertNull(latestSupportSessionOf(user).changesAllowedAt);
        operator.post("/accounts/" + account + "/infrastructures", "label", "Web", "description", "")
                .then().statusCode(403);

        allowChanges();
        assertNotNull(latestSupportSessionOf(user).changesAllowedAt);
        Mail told = mailbox.deliverAndRead(user.email).stream()
                .filter(m -> m.getSubject().equals("The portal's support staff may now make changes as you"))
                .findFirst().orElseThrow();
        assertTrue(told.getText().contains("Fix the ERP drive size"), told.getText());
        AuditEvent allowed = latest("ACTING_AS_USER_CHANGES_ALLOWED");
        assertEquals(lead.user().id, allowed.userId);
        assertEquals(user.id, allowed.onBehalfOfId);
        String banner = operator.get("/accounts/" + account + "/infrastructures").then().statusCode(200).extract()
                .asString();
        assertTrue(banner.contains("changes allowed"));

        Response create = operator.post("/accounts/" + account + "/infrastructures", "label", "Web", "description",
                "made by support");
        assertEquals(303, create.statusCode());
        assertEquals(1, count(Infrastructure.class, "account.id = ?1", account));
        AuditEvent created = latest("INFRASTRUCTURE_CREATED");
        assertEquals(lead.user().id, created.userId);
        assertEquals(lead.user().email, created.userEmail);
        assertEquals(user.id, created.onBehalfOfId);
        assertEquals(user.email, created.onBehalfOfEmail);
        assertEquals(account, created.accountId);
        assertTrue(created.byOperator);

        // The user reads it in their security log; the account's log shows both names.
        assertEquals(303, operator.post("/impersonation/stop").statusCode());
        Browser own = new Browser().signIn(user.email, Users.PASSWORD);
        String log = own.get("/settings/security-log").then().statusCode(200).extract().asString();
        assertTrue(log.contains(lead.user().email + "</td>") || log.contains(lead.user().email + " <span"), log);
        assertTrue(log.contains("Created an infrastructure"), log);
        assertTrue(log.contains("Support started acting as the user"), log);
        own.get("/accounts/" + account + "/audit?action=INFRASTRUCTURE_CREATED").then().statusCode(200)
                .body(containsString(lead.user().email)).body(containsString("portal support"));
    }

    @Test
    void theDelegationsPanelShowsEveryGrantOfTheAccountInViewEvenWhereTheUserMayNotSeeThem() {
        User owner = users.active("acted-panel-owner");
        Long ownerAccount = accounts.accountOf(owner);
        User colleague = users.active("acted-panel-colleague");
        User invited = users.active("acted-panel-invited");
        grants.direct(ownerAccount, user, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Long erp = accounts.infrastructure(ownerAccount, owner, "ERP").id;
        grants.directOnInfrastructure(erp, colleague, Role.INFRASTRUCTURE_ADMINISTRATOR);
        grants.direct(ownerAccount, invited, Role.ACCOUNT_BILLING, Grant.Status.PENDING, null);
        startActing();

        // As the user, a read-only delegate there: no sharing page, but the panel lists every grant.
        operator.get("/accounts/" + ownerAccount + "/sharing").then().statusCode(404);
        String page = operator.get("/accounts/" + ownerAccount + "/infrastructures").then().statusCode(200)
                .extract().asString();
        String panel = page.substring(page.indexOf("<aside class=\"operator-panel\""));
        assertTrue(panel.contains("Delegations of " + owner.displayName), panel);
        assertTrue(panel.contains(user.email) && panel.contains(colleague.email) && panel.contains(invited.email),
                panel);
        assertTrue(panel.contains("ERP") && panel.contains("Billing") && panel.contains("Read-only"), panel);
        // Looking is not using: the user's "recently used" accounts do not change.
        assertEquals(0, count(AccountVisit.class, "userId = ?1", user.id));

        // Outside any account, the user's own account's delegations.
        String settings = operator.get("/settings/profile").then().statusCode(200).extract().asString();
        assertTrue(settings.contains("Delegations of " + user.displayName), settings);
        // Nobody else's pages carry the panel.
        new Browser().signIn(user.email, Users.PASSWORD).get("/accounts/" + ownerAccount + "/infrastructures")
                .then().statusCode(200).body(not(containsString("operator-panel")));
    }

    @Test
    void stopLeadsBackToTheConsoleAndTheOperatorHasNoRightLeftInTheUsersAccounts() {
        startActing();
        operator.get("/operator").then().statusCode(409).body(containsString("Stop acting as them"));
        Response stopped = operator.post("/impersonation/stop");
        assertEquals("/operator/users/" + user.id, location(stopped));
        operator.follow(stopped).then().statusCode(200).body(containsString("You stopped acting as " + user.email));
        assertEquals(Impersonation.EndReason.STOPPED, latestSupportSessionOf(user).endReason);
        AuditEvent ended = latest("ACTING_AS_USER_ENDED");
        assertEquals(lead.user().id, ended.userId);
        assertEquals(user.id, ended.onBehalfOfId);
        assertEquals("stopped by the operator", ended.detail);
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(404);
    }

    @Test
    void itEndsAfterThirtyMinutesEvenWhileTheOperatorKeepsWorking() {
        startActing();
        clock.advance(Duration.ofMinutes(20));
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(200);
        clock.advance(Duration.ofMinutes(11));
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(404);
        assertEquals(Impersonation.EndReason.EXPIRED, latestSupportSessionOf(user).endReason);
        assertEquals("time was up", latest("ACTING_AS_USER_ENDED").detail);
        operator.get("/operator").then().statusCode(200);
    }

    @Test
    void theUserCanEndItFromAccountSharing() {
        startActing();
        Browser own = new Browser().signIn(user.email, Users.PASSWORD);
        String sharing = own.get("/accounts/" + account + "/sharing").then().statusCode(200).extract().asString();
        assertTrue(sharing.contains(lead.user().email + "), of the portal's support staff,"), sharing);
        Long id = latestSupportSessionOf(user).id;
        assertEquals(303, own.post("/accounts/" + account + "/sharing/impersonations/" + id + "/end").statusCode());
        assertEquals(Impersonation.EndReason.ENDED_BY_OWNER, latestSupportSessionOf(user).endReason);
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(404);
    }

    @Test
    void itEndsWhenTheOperatorLosesTheirSecondFactorOrTheUserIsDisabled() {
        startActing();
        QuarkusTransaction.requiringNew().run(() -> TwoFactor.delete("userId", lead.user().id));
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(404);
        assertEquals(Impersonation.EndReason.OPERATOR_REMOVED, latestSupportSessionOf(user).endReason);

        lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        operator = codes.signIn(new Browser(), lead.user(), lead.secret());
        startActing();
        OperatorFixtures.Operator agent = operators.withTwoFactor(OperatorFixtures.AGENT);
        Browser other = codes.signIn(new Browser(), agent.user(), agent.secret());
        assertEquals(303, other.post("/operator/users/" + user.id + "/disable", "reason", "fraud").statusCode());
        assertEquals(Impersonation.EndReason.ENDED_BY_OPERATOR, latestSupportSessionOf(user).endReason);
        operator.get("/accounts/" + account + "/infrastructures").then().statusCode(404);
    }

    @Test
    void nobodyIsActedAsWhoCannotSignInAndNeverOneself() {
        User pending = QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = Users.uniqueEmail("acted-pending");
            u.displayName = "Pending";
            u.status = User.Status.PENDING_ACTIVATION;
            u.createdAt = Instant.now();
            u.persist();
            io.dap.portal.account.Account.openFor(u, u.createdAt);
            return u;
        });
        clock.advance(Duration.ofSeconds(31));
        assertActRefused(operator.post("/operator/users/" + pending.id + "/act", "reason", REASON, "code", code()),
                "Only an active user");
        clock.advance(Duration.ofSeconds(31));
        assertActRefused(operator.post("/operator/users/" + lead.user().id + "/act", "reason", REASON, "code", code()),
                "cannot act as yourself");
        operator.post("/operator/users/999999999/act", "reason", REASON, "code", code()).then().statusCode(404);
        assertEquals(0, count(Impersonation.class, "owner.id in (?1, ?2)", pending.id, lead.user().id));
    }

    @Test
    void twoTabsStartingAtOnceMakeOneSupportSession() throws Exception {
        clock.advance(Duration.ofSeconds(31));
        String code = code();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> start = () -> operator.post("/operator/users/" + user.id + "/act", "reason", REASON,
                    "code", code).statusCode();
            List<Future<Integer>> both = pool.invokeAll(List.of(start, start));
            // The later tab either met the locked session row (back to the form: already acting) or came in
            // once the first had started (the console waits while acting: 409). Never a second session.
            for (Future<Integer> answer : both) {
                assertTrue(answer.get() == 303 || answer.get() == 409, "answered " + answer.get());
            }
            assertTrue(both.get(0).get() == 303 || both.get(1).get() == 303);
        } finally {
            pool.shutdown();
        }
        assertEquals(1, supportSessionsOf(user));
        assertEquals(1, mailbox.deliverAndRead(user.email).size());
    }

    // Helpers

    private void startActing() {
        Response started = act(REASON, nextCode());
        assertEquals(303, started.statusCode(), "acting refused: " + started.header("Location"));
        assertTrue(location(started).startsWith("/accounts/"), location(started));
    }

    private void allowChanges() {
        Response allowed = operator.post("/operator/acting/changes", "reason", "Fix the ERP drive size", "confirm",
                "on");
        assertEquals(303, allowed.statusCode());
        assertEquals("/accounts/" + account + "/infrastructures", location(allowed));
    }

    private Response act(String reason, String code) {
        return operator.post("/operator/users/" + user.id + "/act", "reason", reason, "code", code);
    }

    private String code() {
        return TwoFactorCodes.code(lead.secret(), clock.instant());
    }

    private String nextCode() {
        clock.advance(Duration.ofSeconds(31));
        return code();
    }

    private void assertActRefused(Response response, String message) {
        assertEquals(303, response.statusCode());
        assertTrue(location(response).startsWith("/operator/users/"), location(response));
        operator.follow(response).then().statusCode(200).body(containsString(message));
    }

    private static String location(Response redirect) {
        return redirect.header("Location").replaceFirst("^https?://[^/]+", "");
    }

    private static long supportSessionsOf(User user) {
        return count(Impersonation.class, "owner.id = ?1 and kind = ?2", user.id,
                Impersonation.Kind.OPERATOR_SUPPORT);
    }

    private static Impersonation latestSupportSessionOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> Impersonation.<Impersonation>find(
                "owner.id = ?1 and kind = ?2 order by id desc", user.id, Impersonation.Kind.OPERATOR_SUPPORT)
                .firstResult());
    }

    private AuditEvent latest(String action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "action = ?1 and (onBehalfOfId = ?2 or subjectUserId = ?2) order by id desc", action, user.id)
                .firstResult());
    }

    private static long count(Class<?> entity, String query, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                    .createQuery("select count(*) from " + entity.getSimpleName() + " where " + query, Long.class);
            for (int i = 0; i < parameters.length; i++) {
                q.setParameter(i + 1, parameters[i]);
            }
            return q.getSingleResult();
        });
    }
}
