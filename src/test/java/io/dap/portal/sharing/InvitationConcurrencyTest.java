package io.dap.portal.sharing;

import static io.dap.portal.support.Invitations.grantAction;
import static io.dap.portal.support.Invitations.sharing;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.notification.Notification;
import io.dap.portal.session.SessionService;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Invitations;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R8/R9 under load: simultaneous answers end in exactly one final state, and never in a 500. */
@QuarkusTest
class InvitationConcurrencyTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Mailbox mailbox;

    @Inject
    Invitations invitations;

    @Inject
    SessionService sessions;

    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        mailbox.clear();
        pool = Executors.newFixedThreadPool(20);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void twentySimultaneousAcceptsMakeExactlyOneAcceptedGrant() throws Exception {
        User owner = users.active("race-owner");
        Long accountId = accounts.accountOf(owner);
        User invitee = users.active("race-invitee");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        ownerBrowser.get(sharing(accountId));
        Invitations.invite(ownerBrowser, accountId, invitee.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        String link = invitations.latestLink(invitee.email);
        Long grantId = invitations.grantTo(accountId, invitee.email).id();

        // Twenty browsers signed in as the same person: one through the form, the others' sessions opened
        // directly, since twenty bcrypt checks would only slow the test, not the race.
        List<Browser> browsers = new ArrayList<>();
        browsers.add(new Browser().signIn(invitee.email, Users.PASSWORD));
        while (browsers.size() < 20) {
            Browser browser = new Browser();
            browser.setCookie("portal_session", sessions.create(invitee, "127.0.0.1", "browser " + browsers.size()));
            browsers.add(browser);
        }
        for (Browser browser : browsers) {
            browser.get(link).then().statusCode(200).body(containsString(">Accept</button>"));
        }

        List<Integer> statuses = all(browsers.stream()
                .<Callable<Response>>map(b -> () -> b.post(link + "/accept", Map.of())).toList())
                .stream().map(Response::statusCode).toList();

        assertTrue(statuses.stream().allMatch(s -> s == 303 || s == 404), "only 303 or 404: " + statuses);
        assertEquals(1, statuses.stream().filter(s -> s == 303).count(), "exactly one click succeeds: " + statuses);
        assertEquals(Grant.Status.ACCEPTED, invitations.grant(grantId).status());
        assertEquals(1, invitations.grantsTo(accountId, invitee.email).size());
        assertEquals(1, invitations.audit(accountId, AuditAction.INVITATION_ACCEPTED).size());
        assertTrue(invitations.invitationsOf(grantId).get(0).used());
        List<Mail> toOwner = mailbox.deliverAndRead(owner.email);
        assertEquals(1, toOwner.size(), "the owner is told once");
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Notification.count("userId",
                owner.id)));
        browsers.get(0).get("/accounts/" + accountId + "/infrastructures").then().statusCode(200);
    }

    @Test
    void revokeRacingAcceptNeverLeavesAnActiveGrant() throws Exception {
        User owner = users.active("revoke-race-owner");
        Long accountId = accounts.accountOf(owner);
        User invitee = users.active("revoke-race-invitee");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Browser inviteeBrowser = new Browser().signIn(invitee.email, Users.PASSWORD);
        int cancelled = 0;
        int revoked = 0;

        for (int round = 0; round < 10; round++) {
            mailbox.clear();
            ownerBrowser.get(sharing(accountId)).then().statusCode(200);
            Invitations.invite(ownerBrowser, accountId, invitee.email, Role.ACCOUNT_ADMINISTRATOR).then()
                    .statusCode(303);
            String link = invitations.latestLink(invitee.email);
            List<Invitations.GrantState> grants = invitations.grantsTo(accountId, invitee.email);
            Long grantId = grants.get(grants.size() - 1).id();
            assertEquals(Grant.Status.PENDING, invitations.grant(grantId).status());
            inviteeBrowser.get(link).then().statusCode(200);
            ownerBrowser.get(sharing(accountId)).then().statusCode(200);

            List<Response> responses = all(List.of(
                    () -> ownerBrowser.post(grantAction(accountId, grantId, "revoke"), Map.of()),
                    () -> inviteeBrowser.post(link + "/accept", Map.of())));
            Response revoke = responses.get(0);
            Response accept = responses.get(1);
            String when = "round " + round + ": revoke " + revoke.statusCode() + " " + Invitations.flash(revoke)
                    + ", accept " + accept.statusCode();

            assertEquals(303, revoke.statusCode(), when);
            assertTrue(Invitations.flash(revoke).contains("\"kind\":\"success\""), "the revoke went through: " + when);
            assertTrue(accept.statusCode() == 303 || accept.statusCode() == 404, when);
            Grant.Status status = invitations.grant(grantId).status();
            List<String> actions = auditOfGrant(accountId, grantId);
            if (status == Grant.Status.CANCELLED) {
                cancelled++;
                assertEquals(404, accept.statusCode(), when);
                assertEquals(List.of("INVITATION_SENT", "INVITATION_CANCELLED"), actions, when);
            } else if (status == Grant.Status.REVOKED) {
                revoked++;
                assertEquals(303, accept.statusCode(), when);
                assertEquals(List.of("INVITATION_SENT", "INVITATION_ACCEPTED", "GRANT_REVOKED"), actions, when);
            } else {
                throw new AssertionError("final state " + status + " after a successful revoke; " + when);
            }
            inviteeBrowser.get("/accounts/" + accountId + "/infrastructures").then().statusCode(404);
            inviteeBrowser.get(link).then().statusCode(404);
        }
        assertEquals(10, cancelled + revoked);
        assertFalse(invitations.grantsTo(accountId, invitee.email).stream()
                .anyMatch(g -> g.status() == Grant.Status.ACCEPTED || g.status() == Grant.Status.PENDING));
    }

    /** Runs every call at the same moment: each thread waits at the gate until all are ready. */
    private <T> List<T> all(List<Callable<T>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> call : calls) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                gate.await();
                return call.call();
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        gate.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private List<String> auditOfGrant(Long accountId, Long grantId) {
        return invitations.auditOf(accountId).stream()
                .filter(e -> e.target != null && e.target.startsWith("grant " + grantId + " "))
                .map(e -> e.action).toList();
    }
}
