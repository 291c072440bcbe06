package io.dap.portal.impersonation;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.billing.BillingService;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R10: an account Administrator acting as the owner for billing — who may, what it needs, what it
 * opens and what it never opens, and every way it ends (R13 for its audit trail).
 */
@QuarkusTest
class ImpersonationTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @Inject
    BillingService billing;

    private User owner;
    private Long account;
    private String accountPath;

    @BeforeEach
    void anOwnerWithABillableAccount() {
        mailbox.clear();
        owner = users.active("imp-owner");
        account = accounts.accountOf(owner);
        accounts.makeBillable(account);
        accountPath = "/accounts/" + account;
    }

    @Test
    void onlyAnAccountAdministratorMayStartAndEveryoneElseIsRefused() {
        User admin = users.active("imp-admin");
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        adminBrowser.get(accountPath + "/infrastructures").then().statusCode(200)
                .body(containsString("Billing (act as owner)"));
        adminBrowser.get(accountPath + "/impersonation").then().statusCode(200)
                .body(containsString("Act as " + owner.email));

        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        ownerBrowser.get(accountPath + "/impersonation").then().statusCode(403);
        ownerBrowser.get(accountPath + "/infrastructures").then().body(not(containsString("act as owner")));

        User billingDelegate = users.active("imp-billing");
        grants.direct(account, billingDelegate, Role.ACCOUNT_BILLING, Grant.Status.ACCEPTED, null);
        User reader = users.active("imp-reader");
        grants.direct(account, reader, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        User infraDelegate = users.active("imp-infra");
        Long infrastructure = accounts.infrastructure(account, owner, "Shared one").id;
        grants.directOnInfrastructure(infrastructure, infraDelegate, Role.INFRASTRUCTURE_ADMINISTRATOR);
        User formerAdmin = users.active("imp-former");
        grants.direct(account, formerAdmin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.REVOKED, null);
        User endedAdmin = users.active("imp-ended");
        grants.direct(account, endedAdmin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED,
                Instant.now().minus(Duration.ofMinutes(1)));
        User stranger = users.active("imp-stranger");

        for (User refused : List.of(billingDelegate, reader, infraDelegate)) {
            Browser browser = new Browser().signIn(refused.email, Users.PASSWORD);
            browser.get(accountPath + "/impersonation").then().statusCode(403);
            browser.post(accountPath + "/impersonation", "reason", "let me in", "password", Users.PASSWORD)
                    .then().statusCode(403);
        }
        for (User unseen : List.of(formerAdmin, endedAdmin, stranger)) {
            Browser browser = new Browser().signIn(unseen.email, Users.PASSWORD);
            browser.get(accountPath + "/impersonation").then().statusCode(404);
            browser.post(accountPath + "/impersonation", "reason", "let me in", "password", Users.PASSWORD)
                    .then().statusCode(404);
        }
        ownerBrowser.post(accountPath + "/impersonation", "reason", "myself", "password", Users.PASSWORD)
                .then().statusCode(403);
        assertEquals(0, impersonationsOf(account));
        assertTrue(mailbox.deliverAndRead(owner.email).isEmpty(), "nobody started, nobody was told");
    }

    @Test
    void aReasonAndTheDelegatesOwnPasswordAreRequired() {
        User admin = administrator("imp-form");
        Browser browser = new Browser().signIn(admin.email, Users.PASSWORD);
        browser.get(accountPath + "/impersonation");

        var blank = browser.post(accountPath + "/impersonation", "reason", "   ", "password", Users.PASSWORD);
        assertEquals(accountPath + "/impersonation", path(blank));
        browser.follow(blank).then().body(containsString("Say why you need to act as the owner"));

        var wrong = browser.post(accountPath + "/impersonation", "reason", "card expired", "password",
                "not my password at all");
        assertEquals(accountPath + "/impersonation", path(wrong));
        String page = browser.follow(wrong).asString();
        assertTrue(page.contains("That is not your password."), page);
        assertTrue(page.contains("card expired"), "the reason is kept");
        assertTrue(!page.contains("not my password at all"), "the password is never sent back");

        // The owner's password is no use either: it has to be the delegate's own.
        browser.post(accountPath + "/impersonation", "reason", "card expired", "password", "owner-" + Users.PASSWORD);
        var tooLong = browser.post(accountPath + "/impersonation", "reason", "x".repeat(501), "password",
                Users.PASSWORD);
        browser.follow(tooLong).then().body(containsString("Keep the reason under 500 characters"));
        assertEquals(0, impersonationsOf(account));
        assertEquals(2, countAudit("IMPERSONATION_FAILED", admin.id));
        browser.get(accountPath + "/billing").then().statusCode(403);
    }

    @Test
    void startingOpensTheOwnersBillingEmailsTheOwnerAndAuditsBothUsers() {
        User admin = administrator("imp-start");
        Browser browser = start(admin, "The card expired; the invoice is due");

        String page = browser.get(accountPath + "/billing").then().statusCode(200).extract().asString();
        assertTrue(page.contains("You are acting as " + owner.email), "the banner");
        assertTrue(page.contains("The card expired; the invoice is due") && page.contains("/impersonation/stop"));
        browser.get(accountPath + "/invoices").then().statusCode(200);
        // The banner is on every page, the admin's own pages included.
        browser.get("/settings/profile").then().body(containsString("You are acting as " + owner.email));

        Mail mail = mailbox.single(owner.email);
        assertTrue(mail.getSubject().contains("is acting as you for billing"), mail.getSubject());
        assertTrue(mail.getText().contains(admin.email) && mail.getText().contains("The card expired"));
        assertTrue(mail.getText().contains("/accounts/" + account + "/sharing"));
        String until = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(latestOf(account).expiresAt);
        assertTrue(mail.getText().contains("until " + until), "until when: " + mail.getText());

        browser.post(accountPath + "/billing/address", "billingName", "Owner Ltd", "billingAddress", "1 Quay")
                .then().statusCode(303);
        assertEquals("Owner Ltd", billing.view(account).billingName());
        AuditEvent changed = lastAudit("BILLING_UPDATED", account);
        assertEquals(admin.id, changed.userId, "the real user acts");
        assertEquals(owner.id, changed.onBehalfOfId, "on behalf of the owner");
        assertEquals(owner.email, changed.onBehalfOfEmail);
        AuditEvent started = lastAudit("IMPERSONATION_STARTED", account);
        assertEquals(admin.id, started.userId);
        assertEquals(owner.id, started.subjectUserId);
        assertTrue(started.detail.contains("The card expired"));

        // Both users find it in their own security log.
        assertTrue(browser.get("/settings/security-log").asString().contains("Started impersonating the owner"));
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        String ownerLog = ownerBrowser.get("/settings/security-log").asString();
        assertTrue(ownerLog.contains("Started impersonating the owner") && ownerLog.contains(admin.email));
        String audit = ownerBrowser.get(accountPath + "/audit?user=" + owner.email).asString();
        assertTrue(audit.contains("Changed billing information") && audit.contains(admin.email), audit);
    }

    @Test
    void whileImpersonatingTheOwnersIdentityDelegatesAndSettingsAreRefused() {
        User admin = administrator("imp-refused");
        Browser browser = start(admin, "billing only");
        Long delegates = countGrants(account);

        browser.get(accountPath + "/sharing").then().statusCode(403);
        browser.post(accountPath + "/sharing/invite", "email", Users.uniqueEmail("sneaky"), "role",
                "ACCOUNT_ADMINISTRATOR", "label", "", "until", "").then().statusCode(403);
        assertEquals(delegates, countGrants(account), "no delegate added");

        String settingsRefusal = browser.post("/settings/password", "currentPassword", Users.PASSWORD,
                "newPassword", "a brand new passphrase").then().statusCode(403).extract().asString();
        assertTrue(settingsRefusal.contains("You are acting as " + owner.email));
        browser.post("/settings/profile", "displayName", "Renamed").then().statusCode(403);
        browser.post("/settings/sessions/revoke-all").then().statusCode(403);
        browser.post("/settings/account", "name", "Taken over", "colour", "RED").then().statusCode(403);
        browser.post("/settings/api-tokens", "name", "backdoor", "scope", "RESTRICTED", "account",
                account.toString(), "expires", java.time.LocalDate.now().plusDays(5).toString()).then().statusCode(403);
        // Path variants reach the same resources and are refused the same way.
        browser.post("/settings/password/", "currentPassword", Users.PASSWORD, "newPassword",
                "another new passphrase").then().statusCode(403);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> io.dap.portal.apitoken.ApiToken
                .count("user.id", admin.id)));
        // Nothing changed: the password still works, the name is the same, the session lives on.
        new Browser().signIn(admin.email, Users.PASSWORD);
        assertEquals(admin.displayName, QuarkusTransaction.requiringNew()
                .call(() -> User.<User>findById(admin.id).displayName));
        browser.get(accountPath + "/billing").then().statusCode(200);
        assertTrue(countRefusals(admin.id, account) >= 7, "each refusal is audited");

        // The admin's own rights in the account stay theirs; the owner's account sharing never opens.
        browser.get(accountPath + "/infrastructures/new").then().statusCode(200);
    }

    @Test
    void stopEndsItAndTheOwnersBillingClosesAgain() {
        User admin = administrator("imp-stop");
        Browser browser = start(admin, "quick fix");
        Browser copy = new Browser();
        copy.setCookie("portal_session", browser.cookie("portal_session"));
        copy.get(accountPath + "/billing").then().statusCode(200);

        var stopped = browser.post("/impersonation/stop");
        assertEquals(accountPath + "/infrastructures", path(stopped));
        browser.follow(stopped).then().body(containsString("You stopped acting as " + owner.email))
                .body(not(containsString("/impersonation/stop")));
        browser.get(accountPath + "/billing").then().statusCode(403);
        // A copied cookie is the same server-side session: it cannot keep the impersonation alive.
        copy.get(accountPath + "/billing").then().statusCode(403);
        Impersonation ended = latestOf(account);
        assertEquals(Impersonation.EndReason.STOPPED, ended.endReason);
        assertEquals(1, countAudit("IMPERSONATION_ENDED", admin.id));
        browser.post("/impersonation/stop").then().statusCode(303);
        assertEquals(1, countAudit("IMPERSONATION_ENDED", admin.id), "ended once, audited once");
    }

    @Test
    void signingOutEndsIt() {
        User admin = administrator("imp-logout");
        Browser browser = start(admin, "then I leave");
        String cookie = browser.cookie("portal_session");
        browser.post("/logout").then().statusCode(303);
        assertEquals(Impersonation.EndReason.SIGNED_OUT, latestOf(account).endReason);
        Browser copy = new Browser();
        copy.setCookie("portal_session", cookie);
        copy.get(accountPath + "/billing").then().statusCode(303);
        Browser again = new Browser().signIn(admin.email, Users.PASSWORD);
        again.get(accountPath + "/billing").then().statusCode(403);
    }

    @Test
    void changingThePasswordFromAnotherSessionEndsItAndSaysSo() {
        User admin = administrator("imp-password");
        Browser impersonating = start(admin, "until my password changes");
        Browser other = new Browser().signIn(admin.email, Users.PASSWORD);
        other.get("/settings/password");
        other.post("/settings/password", "currentPassword", Users.PASSWORD, "newPassword", "a fresh passphrase 2026")
                .then().statusCode(303);
        impersonating.get(accountPath + "/billing").then().statusCode(303);
        assertEquals(Impersonation.EndReason.SIGNED_OUT, latestOf(account).endReason);
        assertEquals(1, countAudit("IMPERSONATION_ENDED", admin.id), "the owner's log shows the end");
    }

    @Test
    void itEndsAfterAnHourWhateverTheActivity() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User admin = administrator("imp-clock");
        Browser browser = start(admin, "slow work");
        Instant endsAt = latestOf(account).expiresAt;
        assertEquals(Duration.ofHours(1), Duration.between(latestOf(account).startedAt, endsAt));

        // Busy enough that the session never idles out.
        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(29));
            browser.get(accountPath + "/billing").then().statusCode(200);
        }
        clock.advance(Duration.ofMinutes(3));
        browser.get(accountPath + "/billing").then().statusCode(403);
        browser.get(accountPath + "/infrastructures").then().statusCode(200)
                .body(not(containsString("You are acting as")));
        assertEquals(Impersonation.EndReason.EXPIRED, latestOf(account).endReason);
    }

    @Test
    void revokingOrDemotingTheGrantEndsItOnTheNextRequest() {
        User admin = users.active("imp-revoked");
        Long grant = grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser browser = start(admin, "before the revocation");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        ownerBrowser.get(accountPath + "/sharing");
        ownerBrowser.post(accountPath + "/sharing/" + grant + "/revoke").then().statusCode(303);
        browser.get(accountPath + "/billing").then().statusCode(404);
        browser.get("/settings/profile").then().statusCode(200).body(not(containsString("You are acting as")));
        assertEquals(Impersonation.EndReason.GRANT_ENDED, latestOf(account).endReason);

        User demoted = users.active("imp-demoted");
        Long demotedGrant = grants.direct(account, demoted, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser demotedBrowser = start(demoted, "before the demotion");
        ownerBrowser.get(accountPath + "/sharing");
        ownerBrowser.post(accountPath + "/sharing/" + demotedGrant + "/role", "role", "ACCOUNT_READ_ONLY")
                .then().statusCode(303);
        demotedBrowser.get(accountPath + "/billing").then().statusCode(403);
        demotedBrowser.get(accountPath + "/infrastructures").then().statusCode(200);
        assertEquals(Impersonation.EndReason.GRANT_ENDED, latestOf(account).endReason);
    }

    @Test
    void theOwnerSeesCurrentImpersonationsAndEndsThem() {
        User admin = administrator("imp-owner-ends");
        Browser browser = start(admin, "looking at invoices");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        String sharing = ownerBrowser.get(accountPath + "/sharing").asString();
        assertTrue(sharing.contains("Acting as you now") && sharing.contains(admin.email)
                && sharing.contains("looking at invoices"), sharing);
        Long id = latestOf(account).id;

        // Nobody else's account: another owner cannot end it.
        User otherOwner = users.active("imp-other-owner");
        Browser other = new Browser().signIn(otherOwner.email, Users.PASSWORD);
        Long otherAccount = accounts.accountOf(otherOwner);
        other.get("/accounts/" + otherAccount + "/sharing");
        other.post("/accounts/" + otherAccount + "/sharing/impersonations/" + id + "/end").then().statusCode(303);
        other.post(accountPath + "/sharing/impersonations/" + id + "/end").then().statusCode(404);
        browser.get(accountPath + "/billing").then().statusCode(200);

        ownerBrowser.post(accountPath + "/sharing/impersonations/" + id + "/end").then().statusCode(303);
        browser.get(accountPath + "/billing").then().statusCode(403);
        assertEquals(Impersonation.EndReason.ENDED_BY_OWNER, latestOf(account).endReason);
        ownerBrowser.get(accountPath + "/sharing").then().body(not(containsString("Acting as you now")));
    }

    @Test
    void twoTabsStartingAtOnceGiveOneImpersonation() throws Exception {
        User admin = administrator("imp-race");
        Browser browser = new Browser().signIn(admin.email, Users.PASSWORD);
        browser.get(accountPath + "/impersonation");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Integer>> clicks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clicks.add(() -> browser.post(accountPath + "/impersonation", "reason", "double click", "password",
                        Users.PASSWORD).statusCode());
            }
            for (Future<Integer> click : pool.invokeAll(clicks)) {
                assertEquals(303, click.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, impersonationsOf(account));
        assertEquals(1, countAudit("IMPERSONATION_STARTED", admin.id));
        assertEquals(1, mailbox.deliverAndRead(owner.email).size());
    }

    @Test
    void repeatedIdenticalRefusalsAreFoldedIntoOneRow() {
        User stranger = users.active("imp-prober");
        Browser browser = new Browser().signIn(stranger.email, Users.PASSWORD);
        for (int i = 0; i < 4; i++) {
            browser.get(accountPath + "/billing").then().statusCode(404);
        }
        browser.get(accountPath + "/usage").then().statusCode(404);
        List<AuditEvent> refusals = QuarkusTransaction.requiringNew().call(() -> AuditEvent
                .<AuditEvent>list("userId = ?1 and outcome = ?2 order by id", stranger.id, AuditEvent.Outcome.REFUSED));
        assertEquals(1, refusals.size(), "the same refusal is one row, whatever the page: the target is the account");
        assertEquals(5, refusals.get(0).repeatCount);
        assertNotNull(refusals.get(0).lastRepeatedAt);
        Long other = accounts.accountOf(users.active("imp-probed"));
        browser.get("/accounts/" + other + "/billing").then().statusCode(404);
        assertEquals(2L, QuarkusTransaction.requiringNew().call(() -> AuditEvent
                .count("userId = ?1 and outcome = ?2", stranger.id, AuditEvent.Outcome.REFUSED)));
    }

    @Test
    void aDelegateFindsGrantChangesInTheirSecurityLog() {
        User admin = users.active("imp-seclog");
        Long grant = grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        ownerBrowser.get(accountPath + "/sharing");
        ownerBrowser.post(accountPath + "/sharing/" + grant + "/role", "role", "ACCOUNT_BILLING").then()
                .statusCode(303);
        String log = new Browser().signIn(admin.email, Users.PASSWORD).get("/settings/security-log").asString();
        assertTrue(log.contains("Changed a delegate&#39;s role") || log.contains("Changed a delegate's role"), log);
        assertTrue(log.contains(owner.email), "who did it");
        String strangerLog = new Browser().signIn(users.active("imp-seclog-other").email, Users.PASSWORD)
                .get("/settings/security-log").asString();
        assertTrue(!strangerLog.contains("Changed a delegate"), "nobody else's log");
    }

    // Helpers

    private User administrator(String prefix) {
        User admin = users.active(prefix);
        grants.direct(account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        return admin;
    }

    private Browser start(User admin, String reason) {
        Browser browser = new Browser().signIn(admin.email, Users.PASSWORD);
        browser.get(accountPath + "/impersonation").then().statusCode(200);
        var started = browser.post(accountPath + "/impersonation", "reason", reason, "password", Users.PASSWORD);
        assertEquals(accountPath + "/billing", path(started), "started and sent to billing");
        return browser;
    }

    private static String path(io.restassured.response.Response redirect) {
        assertEquals(303, redirect.statusCode());
        return redirect.header("Location").replaceFirst("^https?://[^/]+", "");
    }

    private static long impersonationsOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Impersonation.count("account.id", accountId));
    }

    private static Impersonation latestOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Impersonation latest = Impersonation.find("account.id = ?1 order by id desc", accountId).firstResult();
            assertNotNull(latest);
            return latest;
        });
    }

    private static long countAudit(String action, Long userId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and userId = ?2", action,
                userId));
    }

    private static long countRefusals(Long userId, Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "userId = ?1 and accountId = ?2 and outcome = ?3", userId, accountId, AuditEvent.Outcome.REFUSED)
                .stream().mapToLong(e -> e.repeatCount).sum());
    }

    private static Long countGrants(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.count("account.id", accountId));
    }

    private static AuditEvent lastAudit(String action, Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AuditEvent event = AuditEvent.find("action = ?1 and accountId = ?2 order by id desc", action, accountId)
                    .firstResult();
            assertNotNull(event, action);
            return event;
        });
    }
}
