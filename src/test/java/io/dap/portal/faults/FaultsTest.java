package io.dap.portal.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.dap.portal.account.Account;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.mail.OutboxMail;
import io.dap.portal.mail.OutboxSender;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.FakeSmtp;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Faults under a running application: the database stopped, or too busy to hand out a connection,
 * answers 503 (page or problem) with Retry-After; nothing is half-written and nobody is let in as
 * anyone; when it is back the portal works again without a restart. A mail server that accepts a
 * message and then fails (answers 451, drops the connection, or never answers) leaves the mail
 * queued for another attempt, and it is delivered once when the server behaves.
 */
@QuarkusTest
@TestProfile(FaultsProfile.class)
class FaultsTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    @Inject
    OutboxSender sender;

    @Inject
    AgroalDataSource dataSource;

    FakeSmtp smtp;

    @BeforeEach
    void setUp() {
        smtp = FaultsProfile.Servers.smtp;
        smtp.mode(FakeSmtp.Mode.ACCEPT);
        sender.deliverDue();
        smtp.clear();
    }

    @AfterEach
    void databaseBack() {
        if (FaultsProfile.Servers.database == null || !FaultsProfile.Servers.database.isRunning(false)) {
            FaultsProfile.Servers.startDatabase();
            dataSource.flush(AgroalDataSource.FlushMode.ALL);
        }
        smtp.mode(FakeSmtp.Mode.ACCEPT);
    }

    private static void assertUnavailablePage(Response response, String what) {
        assertEquals(503, response.statusCode(), what + ": " + response.asString());
        assertTrue(response.contentType().startsWith("text/html"), what);
        assertEquals("30", response.header("Retry-After"), what);
        assertTrue(response.header("Content-Security-Policy").contains("frame-ancestors 'none'"), what);
        assertTrue(response.asString().contains("cannot reach its database"), what);
        assertFalse(response.asString().contains("Exception"), what);
    }

    @Test
    void theDatabaseStoppedAnswers503NothingHalfWrittenAndItRecoversWithoutARestart() {
        User owner = users.active("faults-owner");
        Long account = accounts.accountOf(owner);
        String token = api.global(owner);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.get("/settings/account").then().statusCode(200);
        Browser visitor = new Browser();
        visitor.get("/signup").then().statusCode(200);
        String newcomer = Users.uniqueEmail("faults-newcomer");

        FaultsProfile.Servers.stopDatabase();

        // signed in: not a page as someone else, not the sign-in page, but 503
        assertUnavailablePage(browser.get("/settings/account"), "a signed-in page");
        assertUnavailablePage(browser.post("/settings/account", "name", "Renamed", "colour", "TEAL"), "a change");
        assertUnavailablePage(visitor.post("/signup", "email", newcomer, "displayName", "New", "password",
                "a long enough passphrase"), "sign-up");
        assertUnavailablePage(visitor.post("/login", "email", owner.email, "password", Users.PASSWORD), "sign-in");
        Response apiCall = ApiFixtures.api(token).get("/api/v1/accounts");
        assertEquals(503, apiCall.statusCode(), apiCall.asString());
        assertTrue(apiCall.contentType().startsWith("application/problem+json"));
        assertEquals(503, apiCall.jsonPath().getInt("status"));
        assertEquals("30", apiCall.header("Retry-After"));
        // pages that need no database still answer
        new Browser().get("/login").then().statusCode(200);

        FaultsProfile.Servers.startDatabase();

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> browser.get("/settings/account").statusCode() == 200);
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(owner.displayName, Account.<Account>findById(account).displayName, "the change never happened");
            assertTrue(User.findByEmail(newcomer).isEmpty(), "the sign-up left nothing behind");
            assertEquals(0L, OutboxMail.count("recipient", newcomer), "and queued no mail");
        });
        // and it works as before: the refused sign-up can be made now
        visitor.get("/signup");
        assertEquals(303, visitor.post("/signup", "email", newcomer, "displayName", "New", "password",
                "a long enough passphrase").statusCode());
    }

    @Test
    void aDatabaseTooBusyToAnswerInTimeIs503() throws Exception {
        User owner = users.active("faults-busy");
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        List<Connection> held = new ArrayList<>();
        try {
            // every connection of the pool busy elsewhere: no request gets one within the acquisition timeout
            for (int i = 0; i < 4; i++) {
                held.add(dataSource.getConnection());
            }
            long start = System.nanoTime();
            assertUnavailablePage(browser.get("/settings/account"), "pool exhausted");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "answered, not hung");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        browser.get("/settings/account").then().statusCode(200);
    }

    @Test
    void aMailServerThatAcceptsThenFailsLeavesTheMailQueuedUntilItIsDeliveredOnce() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        String email = Users.uniqueEmail("faults-mail");
        new Browser().post("/signup", "email", email, "displayName", "Mail", "password", "a long enough passphrase")
                .then().statusCode(303);

        int attempt = 0;
        for (FakeSmtp.Mode failing : new FakeSmtp.Mode[] { FakeSmtp.Mode.FAIL_AFTER_DATA,
                FakeSmtp.Mode.DROP_AFTER_DATA, FakeSmtp.Mode.HANG_AFTER_DATA }) {
            smtp.mode(failing);
            long start = System.nanoTime();
            assertEquals(0, sender.deliverDue(), failing.name());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, failing + " did not block");
            attempt++;
            OutboxMail row = row(email);
            assertEquals(OutboxMail.Status.PENDING, row.status, failing.name());
            assertEquals(attempt, row.attempts, failing.name());
            assertTrue(row.lastError != null && !row.lastError.isBlank(), failing.name());
            assertTrue(row.textBody.contains("/activate/") && !row.textBody.contains("link-removed"),
                    "the link is kept while the mail may still go out");
            smtp.mode(FakeSmtp.Mode.ACCEPT);
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(3, smtp.messages().stream().filter(m -> m.data().contains(email)).count(),
                "the server received the message each time");
        assertEquals(0, smtp.acknowledgedTo(email), "but acknowledged none");

        assertEquals(1, sender.deliverDue());
        assertEquals(0, sender.deliverDue(), "nothing left to send");
        assertEquals(1, smtp.acknowledgedTo(email), "delivered once");
        OutboxMail sent = row(email);
        assertEquals(OutboxMail.Status.SENT, sent.status);
        assertNull(sent.lastError);
    }

    @Test
    void nothingATypedNameContainsReachesAMailHeaderUnencoded() {
        User owner = users.active(Users.uniqueEmail("faults-headers"), "Zoë Ops");
        Long account = accounts.accountOf(owner);
        // a name written before names were checked, with a line break that would start a new header
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(account).displayName =
                "Acme\r\nBcc: victim@example.org");
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        String invitee = Users.uniqueEmail("faults-invitee");
        Response invited = new Browser().signIn(owner.email, Users.PASSWORD).post("/accounts/" + account
                + "/sharing/invite", "email", invitee, "role", "ACCOUNT_READ_ONLY");
        assertEquals(303, invited.statusCode());
        // What is checked here is the message, not the first attempt: on a loaded machine that attempt can
        // outlive the send timeout, and the outbox then tries again after its back-off, as in production.
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            sender.deliverDue();
            clock.advance(Duration.ofMinutes(10));
            return smtp.messages().stream().anyMatch(m -> m.data().contains(invitee));
        });
        String data = smtp.messages().stream().filter(m -> m.data().contains(invitee)).findFirst().orElseThrow()
                .data();
        String headers = data.substring(0, data.indexOf("\r\n\r\n"));
        assertFalse(headers.lines().anyMatch(line -> line.regionMatches(true, 0, "Bcc:", 0, 4)), headers);
        List<String> subject = headers.lines().dropWhile(line -> !line.startsWith("Subject:"))
                .takeWhile(line -> line.startsWith("Subject:") || line.startsWith(" ") || line.startsWith("\t"))
                .toList();
        assertFalse(subject.isEmpty(), headers);
        assertTrue(String.join("", subject).contains("=?"), "the non-ASCII name is encoded: " + subject);
        assertTrue(subject.stream().allMatch(line -> line.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t')),
                "only ASCII on the wire: " + subject);
    }

    private static OutboxMail row(String recipient) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMail.<OutboxMail>find(
                "recipient = ?1 order by id desc", recipient).firstResult());
    }
}
