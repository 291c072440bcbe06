package io.dap.portal.sharing;

import static io.dap.portal.support.Invitations.grantAction;
import static io.dap.portal.support.Invitations.sharing;
import static io.dap.portal.support.Invitations.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.audit.AuditAction;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.notification.Notification;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Invitations;
import io.dap.portal.support.Invitations.GrantState;
import io.dap.portal.support.Invitations.InvitationState;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.MutableClock;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.dap.portal.web.TimeSource;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** R8: invitations by email, from the owner's sharing page to the invitee's answer, read back from the rows. */
@QuarkusTest
class InvitationTest {

    private static final String NOT_VALID = "This invitation is not valid";

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Mailbox mailbox;

    @Inject
    Invitations invitations;

    @Inject
    Grants grants;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    /** An owner signed in on their account's sharing page. */
    record Owner(User user, Long accountId, Browser browser) {

        Response invite(String email, Role role) {
            return Invitations.invite(browser, accountId, email, role);
        }

        Response act(Long grantId, String action, String... fields) {
            return browser.post(grantAction(accountId, grantId, action), fields);
        }

        String page() {
            return browser.get(sharing(accountId)).then().statusCode(200).extract().asString();
        }
    }

    private Owner owner(String prefix) {
        User user = users.active(prefix);
        Long accountId = accounts.accountOf(user);
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get(sharing(accountId)).then().statusCode(200);
        return new Owner(user, accountId, browser);
    }

    private static Browser signedIn(User user) {
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/shared-with-me").then().statusCode(200);
        return browser;
    }

    private static void assertSeeOther(Response response, String location) {
        assertEquals(303, response.statusCode(), () -> "body: " + response.asString());
        assertTrue(response.header("Location").endsWith(location),
                () -> "expected Location ending " + location + " but got " + response.header("Location"));
    }

    private static String infrastructures(Long accountId) {
        return "/accounts/" + accountId + "/infrastructures";
    }

    // Tokens

    @Test
    void tokensAreLongUrlSafeUniqueAndOnlyTheirSha256IsStored() throws Exception {
        Owner owner = owner("entropy");
        User first = users.active("entropy-a");
        User second = users.active("entropy-b");
        assertSeeOther(owner.invite(first.email, Role.ACCOUNT_READ_ONLY), sharing(owner.accountId()));
        assertSeeOther(owner.invite(second.email, Role.ACCOUNT_READ_ONLY), sharing(owner.accountId()));

        Mail mail = mailbox.single(first.email);
        assertTrue(mail.getText().contains("expires in 7 days"), mail.getText());
        String firstToken = token(Mailbox.linkPath(mail, Invitations.PREFIX));
        String secondToken = token(invitations.latestLink(second.email));

        for (String token : List.of(firstToken, secondToken)) {
            assertTrue(token.matches("[A-Za-z0-9_-]{43,}"), "URL-safe, at least 43 characters: " + token);
            assertTrue(Base64.getUrlDecoder().decode(token).length >= 16, "at least 128 random bits");
            assertEquals(0, invitations.invitationsWithHash(token), "the raw token must never be stored");
            assertEquals(1, invitations.invitationsWithHash(sha256(token)));
        }
        assertNotEquals(firstToken, secondToken);

        List<InvitationState> rows = invitations.invitationsOf(invitations.grantTo(owner.accountId(), first.email).id());
        assertEquals(1, rows.size());
        assertEquals(sha256(firstToken), rows.get(0).tokenHash());
        assertEquals(64, rows.get(0).tokenHash().length());
        assertFalse(rows.get(0).tokenHash().contains(firstToken));
    }

    // The invitation page

    @Test
    void theInvitationPageChangesNothingAndShowsWhoInvitesWhomToWhat() {
        Owner owner = owner("viewer-owner");
        User bob = users.active("viewer-bob");
        owner.invite(bob.email, Role.ACCOUNT_BILLING).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        GrantState grant = invitations.grantTo(owner.accountId(), bob.email);
        Browser browser = signedIn(bob);

        for (int i = 0; i < 2; i++) {
            browser.get(link).then().statusCode(200)
                    .body(containsString(owner.user().displayName))
                    .body(containsString(owner.user().email))
                    .body(containsString(bob.email))
                    .body(containsString("the account of " + owner.user().displayName))
                    .body(containsString("<strong>Billing</strong>"))
                    .body(containsString("action=\"" + link + "/accept\""))
                    .body(containsString("action=\"" + link + "/decline\""))
                    .body(containsString(">Accept</button>"))
                    .body(containsString(">Decline</button>"));
        }

        assertEquals(Grant.Status.PENDING, invitations.grant(grant.id()).status());
        InvitationState invitation = invitations.invitationsOf(grant.id()).get(0);
        assertFalse(invitation.used(), "the GET must not use the invitation");
        assertFalse(invitation.superseded());
        assertTrue(invitations.audit(owner.accountId(), AuditAction.INVITATION_ACCEPTED).isEmpty());
        assertTrue(invitations.audit(owner.accountId(), AuditAction.INVITATION_DECLINED).isEmpty());
        browser.get(infrastructures(owner.accountId())).then().statusCode(404);

        // A forged token, even one character off, is the neutral page.
        String token = token(link);
        String forged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        browser.get(Invitations.PREFIX + forged).then().statusCode(404).body(containsString(NOT_VALID));
        browser.get(Invitations.PREFIX + "not-a-token").then().statusCode(404).body(containsString(NOT_VALID));
    }

    @Test
    void aSignedOutVisitorIsOfferedSignInThatLeadsBackToTheInvitation() {
        Owner owner = owner("signin-owner");
        User bob = users.active("signin-bob");
        owner.invite(bob.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        String token = token(link);
        String next = "/login?next=%2Finvitations%2F" + token;

        Browser browser = new Browser();
        browser.get(link).then().statusCode(200)
                .body(containsString("href=\"" + next + "\""))
                .body(containsString("Sign in to answer"))
                .body(not(containsString("action=\"" + link + "/accept\"")));
        assertSeeOther(browser.post(link + "/accept", Map.of()), next);
        assertEquals(Grant.Status.PENDING, invitations.grantTo(owner.accountId(), bob.email).status());

        // The link exactly as the page has it (already encoded: REST Assured must not encode it again).
        browser.request().urlEncodingEnabled(false).get(next).then().statusCode(200)
                .body(containsString("name=\"next\" value=\"/invitations/" + token + "\""));
        Response signIn = browser.post("/login", "email", bob.email, "password", Users.PASSWORD, "next",
                "/invitations/" + token);
        assertSeeOther(signIn, link);
        browser.follow(signIn).then().statusCode(200).body(containsString(">Accept</button>"));

        assertSeeOther(browser.post(link + "/accept", Map.of()), "/settings/shared-with-me");
        assertEquals(Grant.Status.ACCEPTED, invitations.grantTo(owner.accountId(), bob.email).status());
        browser.get(infrastructures(owner.accountId())).then().statusCode(200);
    }

    @Test
    void anUnknownAddressGetsOneMailActivatesOnTheInvitationPageThenSignsInAndAccepts() {
        Owner owner = owner("newcomer-owner");
        String email = Users.uniqueEmail("newcomer");
        assertEquals(0, invitations.usersWithEmail(email));
        assertSeeOther(owner.invite(email, Role.ACCOUNT_ADMINISTRATOR), sharing(owner.accountId()));

        List<Mail> mails = mailbox.deliverAndRead(email);
        assertEquals(1, mails.size(), "one mail: the invitation doubles as the activation link");
        assertTrue(mails.get(0).getText().contains("You do not have a portal account yet"), mails.get(0).getText());
        String link = Mailbox.linkPath(mails.get(0), Invitations.PREFIX);
        String token = token(link);
        User pending = invitations.user(email);
        assertEquals(User.Status.PENDING_ACTIVATION, pending.status);
        assertNull(pending.passwordHash);

        Browser browser = new Browser();
        browser.get(link).then().statusCode(200)
                .body(containsString("Activate your account first"))
                .body(containsString("action=\"" + link + "/activate\""))
                .body(containsString("name=\"password\""))
                .body(not(containsString(">Accept</button>")));

        // A weak password is refused next to the field and activates nothing.
        Response weak = browser.post(link + "/activate", "displayName", "New Comer", "password", "short");
        assertSeeOther(weak, link);
        browser.follow(weak).then().statusCode(200).body(containsString("field-error"));
        assertEquals(User.Status.PENDING_ACTIVATION, invitations.user(email).status);

        String password = "a fresh and long passphrase";
        Response activated = browser.post(link + "/activate", "displayName", "New Comer", "password", password);
        // The link proved the address: signed in at once, back on the invitation to answer it.
        assertSeeOther(activated, link);
        User active = invitations.user(email);
        assertEquals(User.Status.ACTIVE, active.status);
        assertNotNull(active.passwordHash);
        assertEquals(Grant.Status.PENDING, invitations.grantTo(owner.accountId(), email).status(),
                "activating is not accepting");
        assertEquals("New Comer", active.displayName);
        browser.post(link + "/activate", "displayName", "Other", "password", "another long passphrase").then()
                .statusCode(404);

        browser.get(link).then().statusCode(200).body(containsString(">Accept</button>"));
        new Browser().signIn(email, password);
        assertSeeOther(browser.post(link + "/accept", Map.of()), "/settings/shared-with-me");

        assertEquals(Grant.Status.ACCEPTED, invitations.grantTo(owner.accountId(), email).status());
        assertEquals(1, invitations.usersWithEmail(email));
        browser.get(infrastructures(owner.accountId())).then().statusCode(200);
    }

    // Single use, expiry, resend, cancel, revoke

    @Test
    void anAcceptedLinkIsDeadAfterwards() {
        Owner owner = owner("once-owner");
        User bob = users.active("once-bob");
        owner.invite(bob.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        Browser browser = signedIn(bob);

        assertSeeOther(browser.post(link + "/accept", Map.of()), "/settings/shared-with-me");
        browser.get(link).then().statusCode(404).body(containsString(NOT_VALID));
        browser.post(link + "/accept", Map.of()).then().statusCode(404);
        browser.post(link + "/decline", Map.of()).then().statusCode(404);

        GrantState grant = invitations.grantTo(owner.accountId(), bob.email);
        assertEquals(Grant.Status.ACCEPTED, grant.status());
        assertTrue(invitations.invitationsOf(grant.id()).get(0).used());
        assertEquals(1, invitations.audit(owner.accountId(), AuditAction.INVITATION_ACCEPTED).size());
        assertTrue(invitations.audit(owner.accountId(), AuditAction.INVITATION_DECLINED).isEmpty());
    }

    @Test
    void aDeclineIsFinal() {
        Owner owner = owner("decline-owner");
        User bob = users.active("decline-bob");
        owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        Browser browser = signedIn(bob);

        assertSeeOther(browser.post(link + "/decline", Map.of()), "/settings/shared-with-me");
        browser.post(link + "/accept", Map.of()).then().statusCode(404).body(containsString(NOT_VALID));
        browser.get(link).then().statusCode(404);

        GrantState grant = invitations.grantTo(owner.accountId(), bob.email);
        assertEquals(Grant.Status.DECLINED, grant.status());
        browser.get(infrastructures(owner.accountId())).then().statusCode(404);
        browser.post("/settings/shared-with-me/" + grant.id() + "/accept", Map.of()).then().statusCode(303);
        assertEquals(Grant.Status.DECLINED, invitations.grant(grant.id()).status());
        assertTrue(invitations.audit(owner.accountId(), AuditAction.INVITATION_ACCEPTED).isEmpty());
    }

    @Test
    void afterSevenDaysTheLinkIsDeadTheGrantShowsExpiredAndAResentLinkWorks() {
        MutableClock clock = new MutableClock(Instant.now());
        QuarkusMock.installMockForType(new TimeSource(clock), TimeSource.class);
        User ownerUser = users.active("expiry-owner");
        Long accountId = accounts.accountOf(ownerUser);
        User bob = users.active("expiry-bob");
        Browser ownerBrowser = new Browser().signIn(ownerUser.email, Users.PASSWORD);
        ownerBrowser.get(sharing(accountId));
        Invitations.invite(ownerBrowser, accountId, bob.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String oldLink = invitations.latestLink(bob.email);
        Long grantId = invitations.grantTo(accountId, bob.email).id();

        clock.advance(Duration.ofDays(7).minusMinutes(1));
        new Browser().get(oldLink).then().statusCode(200);

        clock.advance(Duration.ofMinutes(2));
        Browser anonymous = new Browser();
        anonymous.get(oldLink).then().statusCode(404).body(containsString(NOT_VALID));
        Browser bobBrowser = signedIn(bob);
        bobBrowser.post(oldLink + "/accept", Map.of()).then().statusCode(404);
        assertEquals(Grant.Status.PENDING, invitations.grant(grantId).status(), "expiry is derived, not stored");
        bobBrowser.get("/settings/shared-with-me").then().statusCode(200)
                .body(not(containsString("/settings/shared-with-me/" + grantId + "/accept")));

        Owner owner = new Owner(ownerUser, accountId, new Browser().signIn(ownerUser.email, Users.PASSWORD));
        assertTrue(owner.page().contains("badge--expired\">Expired</span>"), "the sharing page shows Expired");

        mailbox.clear();
        Response resent = owner.act(grantId, "resend");
        assertSeeOther(resent, sharing(accountId));
        assertTrue(Invitations.flash(resent).contains("success"), Invitations.flash(resent));
        String newLink = invitations.latestLink(bob.email);
        assertNotEquals(oldLink, newLink);
        anonymous.get(oldLink).then().statusCode(404);
        bobBrowser.get(newLink).then().statusCode(200).body(containsString(">Accept</button>"));
        assertTrue(owner.page().contains("badge--pending\">Pending</span>"));

        assertSeeOther(bobBrowser.post(newLink + "/accept", Map.of()), "/settings/shared-with-me");
        assertEquals(Grant.Status.ACCEPTED, invitations.grant(grantId).status());
        bobBrowser.get(infrastructures(accountId)).then().statusCode(200);
    }

    @Test
    void resendingKillsTheStillValidOldLink() {
        Owner owner = owner("resend-owner");
        User bob = users.active("resend-bob");
        owner.invite(bob.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String oldLink = invitations.latestLink(bob.email);
        Long grantId = invitations.grantTo(owner.accountId(), bob.email).id();
        mailbox.clear();

        assertSeeOther(owner.act(grantId, "resend"), sharing(owner.accountId()));
        String newLink = invitations.latestLink(bob.email);
        assertNotEquals(oldLink, newLink);
        Browser browser = signedIn(bob);
        browser.get(oldLink).then().statusCode(404);
        browser.post(oldLink + "/accept", Map.of()).then().statusCode(404);
        assertEquals(Grant.Status.PENDING, invitations.grant(grantId).status());

        List<InvitationState> rows = invitations.invitationsOf(grantId);
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).superseded());
        assertFalse(rows.get(1).superseded());
        assertSeeOther(browser.post(newLink + "/accept", Map.of()), "/settings/shared-with-me");
        assertEquals(Grant.Status.ACCEPTED, invitations.grant(grantId).status());
    }

    @Test
    void cancellingMakesTheLinkDead() {
        Owner owner = owner("cancel-owner");
        User bob = users.active("cancel-bob");
        owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        Long grantId = invitations.grantTo(owner.accountId(), bob.email).id();
        Browser browser = signedIn(bob);
        browser.get(link).then().statusCode(200);

        assertSeeOther(owner.act(grantId, "cancel"), sharing(owner.accountId()));
        browser.get(link).then().statusCode(404).body(containsString(NOT_VALID));
        browser.post(link + "/accept", Map.of()).then().statusCode(404);
        assertEquals(Grant.Status.CANCELLED, invitations.grant(grantId).status());
        browser.get(infrastructures(owner.accountId())).then().statusCode(404);
        browser.get("/settings/shared-with-me").then().statusCode(200)
                .body(not(containsString("/settings/shared-with-me/" + grantId + "/accept")));
        assertTrue(owner.page().contains("badge--cancelled\">Cancelled</span>"));

        // Cancelling twice changes nothing more.
        Response again = owner.act(grantId, "cancel");
        assertSeeOther(again, sharing(owner.accountId()));
        assertTrue(Invitations.flash(again).contains("\"error\""), Invitations.flash(again));
        assertEquals(1, invitations.audit(owner.accountId(), AuditAction.INVITATION_CANCELLED).size());
    }

    @Test
    void revokingEndsAccessOnTheNextRequest() {
        Owner owner = owner("revoke-owner");
        User bob = users.active("revoke-bob");
        owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        Browser browser = signedIn(bob);
        browser.post(link + "/accept", Map.of()).then().statusCode(303);
        Long grantId = invitations.grantTo(owner.accountId(), bob.email).id();
        browser.get(infrastructures(owner.accountId())).then().statusCode(200);

        owner.browser().get(grantAction(owner.accountId(), grantId, "revoke")).then().statusCode(200)
                .body(containsString(bob.email));
        assertSeeOther(owner.act(grantId, "revoke"), sharing(owner.accountId()));

        browser.get(infrastructures(owner.accountId())).then().statusCode(404);
        assertEquals(Grant.Status.REVOKED, invitations.grant(grantId).status());
        browser.get(link).then().statusCode(404);
        browser.post("/settings/shared-with-me/" + grantId + "/leave", Map.of()).then().statusCode(303);
        assertEquals(Grant.Status.REVOKED, invitations.grant(grantId).status(), "revoked is final, not left");
    }

    // Who may accept

    @Test
    void theWrongPersonIsRefusedAndTheInvitationStaysUsableForTheRightOne() {
        Owner owner = owner("wrong-owner");
        User bob = users.active("wrong-bob");
        User mallory = users.active("wrong-mallory");
        owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        String link = invitations.latestLink(bob.email);
        Long grantId = invitations.grantTo(owner.accountId(), bob.email).id();

        Browser intruder = signedIn(mallory);
        intruder.get(link).then().statusCode(200)
                .body(containsString("this invitation is for another address"))
                .body(not(containsString(">Accept</button>")));
        Response refused = intruder.post(link + "/accept", Map.of());
        assertSeeOther(refused, link);
        intruder.follow(refused).then().statusCode(200)
                .body(containsString("This invitation is for another address"));
        assertSeeOther(intruder.post(link + "/decline", Map.of()), link);

        assertEquals(Grant.Status.PENDING, invitations.grant(grantId).status());
        assertFalse(invitations.invitationsOf(grantId).get(0).used());
        intruder.get(infrastructures(owner.accountId())).then().statusCode(404);
        List<AuditEvent> refusals = invitations.audit(owner.accountId(), AuditAction.ACCESS_NOT_FOUND).stream()
                .filter(e -> "invitation for another address".equals(e.target)).toList();
        assertEquals(2, refusals.size(), "the refused accept and the refused decline");
        for (AuditEvent refusal : refusals) {
            assertEquals(mallory.id, refusal.userId);
            assertEquals(AuditEvent.Outcome.REFUSED, refusal.outcome);
        }

        Browser browser = signedIn(bob);
        assertSeeOther(browser.post(link + "/accept", Map.of()), "/settings/shared-with-me");
        assertEquals(Grant.Status.ACCEPTED, invitations.grant(grantId).status());
        browser.get(infrastructures(owner.accountId())).then().statusCode(200);
        intruder.get(infrastructures(owner.accountId())).then().statusCode(404);
    }

    // Addresses

    @Test
    void caseAndWhitespaceVariantsAreTheSamePerson() {
        Owner owner = owner("variant-owner");
        String email = Users.uniqueEmail("bob");
        User bob = users.active(email, "Bob Variant");
        String shouted = "  " + email.replace("bob", "Bob").replace("example.org", "Example.ORG") + " ";
        assertNotEquals(email, shouted.strip());

        assertSeeOther(owner.invite(shouted, Role.ACCOUNT_READ_ONLY), sharing(owner.accountId()));
        GrantState grant = invitations.grantTo(owner.accountId(), email);
        assertEquals(bob.id, grant.granteeId());
        assertEquals(1, invitations.usersWithEmail(email), "no second user for a variant of the address");
        assertEquals(1, mailbox.deliverAndRead(email).size());

        Response again = owner.invite(email.toUpperCase(), Role.ACCOUNT_ADMINISTRATOR);
        assertSeeOther(again, sharing(owner.accountId()));
        assertTrue(Invitations.flash(again).contains("already has access or a pending invitation"),
                Invitations.flash(again));
        assertEquals(1, invitations.grantCount(owner.accountId()));
        assertEquals(Role.ACCOUNT_READ_ONLY, invitations.grant(grant.id()).role());
    }

    @Test
    void aLookAlikeUnicodeAddressIsRefusedAndCreatesNothing() {
        Owner owner = owner("lookalike-owner");
        String email = Users.uniqueEmail("bob");
        users.active(email, "Bob Real");
        // Cyrillic 'а' (U+0430) in the domain, Cyrillic 'о' (U+043E) in the local part.
        String cyrillicDomain = email.replace("example", "ex\u0430mple");
        String cyrillicLocal = email.replaceFirst("bob", "b\u043Eb");

        for (String lookAlike : List.of(cyrillicDomain, cyrillicLocal)) {
            assertNotEquals(email, lookAlike);
            Response refused = owner.invite(lookAlike, Role.ACCOUNT_ADMINISTRATOR);
            assertSeeOther(refused, sharing(owner.accountId()));
            String flash = Invitations.flash(refused);
            assertTrue(flash.contains("\"errors\":{\"email\""), flash);
            owner.browser().follow(refused).then().statusCode(200).body(containsString("id=\"f-email-error\""));
            assertEquals(0, invitations.usersWithEmail(lookAlike));
        }
        assertEquals(0, invitations.grantCount(owner.accountId()));
        assertTrue(invitations.audit(owner.accountId(), AuditAction.INVITATION_SENT).isEmpty());
        assertTrue(mailbox.deliverAndRead(cyrillicDomain).isEmpty());
        assertTrue(mailbox.deliverAndRead(email).isEmpty());
    }

    // R8: the page never tells whether the address had an account

    @Test
    void invitingAnUnknownAddressLooksExactlyLikeInvitingAnExistingUser() {
        Owner owner = owner("r8-owner");
        User known = users.active(Users.uniqueEmail("r8-known"), "Known Person");
        String unknown = Users.uniqueEmail("r8-unknown");

        Response toKnown = owner.invite(known.email, Role.ACCOUNT_READ_ONLY);
        Response toUnknown = owner.invite(unknown, Role.ACCOUNT_READ_ONLY);
        assertEquals(toKnown.statusCode(), toUnknown.statusCode());
        assertEquals(303, toKnown.statusCode());
        assertEquals(toKnown.header("Location"), toUnknown.header("Location"));
        String knownFlash = Invitations.flash(toKnown);
        assertTrue(knownFlash.contains("success"), knownFlash);
        assertEquals(knownFlash.replace(known.email, "ADDRESS"), Invitations.flash(toUnknown).replace(unknown,
                "ADDRESS"));
        assertEquals(toKnown.asString().replace(known.email, "ADDRESS"),
                toUnknown.asString().replace(unknown, "ADDRESS"));

        // The page shows both rows alike: no name for the existing user before they answer.
        String page = owner.page();
        assertFalse(page.contains("Known Person"), "the sharing page must not reveal an existing account's name");
        assertTrue(page.contains(known.email) && page.contains(unknown));

        // Only the existing user sees it in the app: notification, header badge, Shared with me.
        User pendingUser = invitations.user(unknown);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Notification.count("userId",
                pendingUser.id)));
        Long grantId = invitations.grantTo(owner.accountId(), known.email).id();
        Browser browser = signedIn(known);
        browser.get("/notifications").then().statusCode(200)
                .body(containsString("invites you to the account of " + owner.user().displayName))
                .body(containsString("<span class=\"badge-count\">1<"));
        browser.get("/settings/shared-with-me").then().statusCode(200)
                .body(containsString("action=\"/settings/shared-with-me/" + grantId + "/accept\""));
        Response accepted = browser.post("/settings/shared-with-me/" + grantId + "/accept", Map.of());
        assertSeeOther(accepted, "/settings/shared-with-me");
        assertEquals(Grant.Status.ACCEPTED, invitations.grant(grantId).status());
        browser.get("/settings/shared-with-me").then().statusCode(200)
                .body(containsString("href=\"" + infrastructures(owner.accountId()) + "\""))
                .body(containsString("/settings/shared-with-me/" + grantId + "/leave"));
        browser.get(infrastructures(owner.accountId())).then().statusCode(200);
        // Accepting from the settings page used the mailed link too.
        browser.get(invitations.latestLink(known.email)).then().statusCode(404);
    }

    // The owner is told

    @Test
    void theOwnerIsToldByMailAndInAppOfAcceptDeclineAndLeave() {
        Owner owner = owner("told-owner");
        User accepter = users.active("told-accepter");
        User decliner = users.active("told-decliner");
        owner.invite(accepter.email, Role.ACCOUNT_ADMINISTRATOR).then().statusCode(303);
        owner.invite(decliner.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String acceptLink = invitations.latestLink(accepter.email);
        String declineLink = invitations.latestLink(decliner.email);
        assertTrue(mailbox.deliverAndRead(owner.user().email).isEmpty(), "inviting alone tells the owner nothing");

        Browser accepterBrowser = signedIn(accepter);
        accepterBrowser.post(acceptLink + "/accept", Map.of()).then().statusCode(303);
        signedIn(decliner).post(declineLink + "/decline", Map.of()).then().statusCode(303);
        Long grantId = invitations.grantTo(owner.accountId(), accepter.email).id();
        assertSeeOther(accepterBrowser.post("/settings/shared-with-me/" + grantId + "/leave", Map.of()),
                "/settings/shared-with-me");
        assertEquals(Grant.Status.LEFT, invitations.grant(grantId).status());
        accepterBrowser.get(infrastructures(owner.accountId())).then().statusCode(404);

        List<Mail> toOwner = mailbox.deliverAndRead(owner.user().email);
        List<String> subjects = toOwner.stream().map(Mail::getSubject).toList();
        for (Mail mail : toOwner) {
            assertTrue(mail.getText().contains(sharing(owner.accountId())), "links to the sharing page: " + mail.getText());
        }
        assertEquals(3, subjects.size(), subjects.toString());
        assertTrue(subjects.contains(accepter.email + " accepted your invitation"), subjects.toString());
        assertTrue(subjects.contains(decliner.email + " declined your invitation"), subjects.toString());
        assertTrue(subjects.contains(accepter.email + " left the account of " + owner.user().displayName),
                subjects.toString());

        owner.browser().get("/notifications").then().statusCode(200)
                .body(containsString(accepter.email + " accepted the invitation to the account of"))
                .body(containsString(decliner.email + " declined the invitation to the account of"))
                .body(containsString(accepter.email + " left the account of"))
                .body(containsString("<span class=\"badge-count\">3<"));
    }

    // Refusals of the invite form, and the delivery column

    @Test
    void invitingYourselfOrSomeoneWithALiveGrantIsAFieldErrorAndTheMailStateIsShown() {
        Owner owner = owner("self-owner");
        Response self = owner.invite("  " + owner.user().email.toUpperCase() + " ", Role.ACCOUNT_ADMINISTRATOR);
        assertSeeOther(self, sharing(owner.accountId()));
        assertTrue(Invitations.flash(self).contains("\"errors\":{\"email\""), Invitations.flash(self));
        owner.browser().follow(self).then().statusCode(200).body(containsString("id=\"f-email-error\""));
        assertEquals(0, invitations.grantCount(owner.accountId()));

        User bob = users.active("self-bob");
        assertSeeOther(owner.invite(bob.email, Role.ACCOUNT_READ_ONLY), sharing(owner.accountId()));
        String page = owner.page();
        assertTrue(page.contains("<td>Queued</td>"), "before delivery the mail is queued");
        assertFalse(page.contains("Delivered to the mail server"));

        Response pendingAgain = owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR);
        assertTrue(Invitations.flash(pendingAgain).contains("\"errors\":{\"email\""), Invitations.flash(pendingAgain));
        assertEquals(1, invitations.grantCount(owner.accountId()));

        String link = invitations.latestLink(bob.email);
        page = owner.page();
        assertTrue(page.contains("<td>Delivered to the mail server</td>"), "after delivery");
        assertFalse(page.contains("<td>Queued</td>"));

        signedIn(bob).post(link + "/accept", Map.of()).then().statusCode(303);
        Response acceptedAgain = owner.invite(bob.email, Role.ACCOUNT_ADMINISTRATOR);
        assertTrue(Invitations.flash(acceptedAgain).contains("already has access"), Invitations.flash(acceptedAgain));
        assertEquals(1, invitations.grantCount(owner.accountId()));
        assertEquals(1, invitations.audit(owner.accountId(), AuditAction.INVITATION_SENT).size());
    }

    // R13

    @Test
    void everyStepOfAnInvitationIsAudited() {
        Owner owner = owner("audit-owner");
        User cancelled = users.active("audit-cancelled");
        User revoked = users.active("audit-revoked");
        User decliner = users.active("audit-decliner");
        User leaver = users.active("audit-leaver");
        User intruder = users.active("audit-intruder");
        Long account = owner.accountId();

        owner.invite(cancelled.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        Long cancelledGrant = invitations.grantTo(account, cancelled.email).id();
        owner.act(cancelledGrant, "resend").then().statusCode(303);
        owner.act(cancelledGrant, "cancel").then().statusCode(303);

        owner.invite(revoked.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        String revokedLink = invitations.latestLink(revoked.email);
        signedIn(intruder).post(revokedLink + "/accept", Map.of()).then().statusCode(303);
        signedIn(revoked).post(revokedLink + "/accept", Map.of()).then().statusCode(303);
        Long revokedGrant = invitations.grantTo(account, revoked.email).id();
        owner.act(revokedGrant, "role", "role", Role.ACCOUNT_BILLING.name()).then().statusCode(303);
        owner.act(revokedGrant, "revoke").then().statusCode(303);

        owner.invite(decliner.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        signedIn(decliner).post(invitations.latestLink(decliner.email) + "/decline", Map.of()).then().statusCode(303);

        owner.invite(leaver.email, Role.ACCOUNT_READ_ONLY).then().statusCode(303);
        Browser leaverBrowser = signedIn(leaver);
        leaverBrowser.post(invitations.latestLink(leaver.email) + "/accept", Map.of()).then().statusCode(303);
        Long leaverGrant = invitations.grantTo(account, leaver.email).id();
        leaverBrowser.post("/settings/shared-with-me/" + leaverGrant + "/leave", Map.of()).then().statusCode(303);

        assertAudited(account, AuditAction.INVITATION_SENT, owner.user(), 4);
        assertAudited(account, AuditAction.INVITATION_RESENT, owner.user(), 1);
        assertAudited(account, AuditAction.INVITATION_CANCELLED, owner.user(), 1);
        assertAudited(account, AuditAction.GRANT_ROLE_CHANGED, owner.user(), 1);
        assertAudited(account, AuditAction.GRANT_REVOKED, owner.user(), 1);
        assertAudited(account, AuditAction.INVITATION_ACCEPTED, null, 2);
        assertAudited(account, AuditAction.INVITATION_DECLINED, decliner, 1);
        assertAudited(account, AuditAction.GRANT_LEFT, leaver, 1);
        assertEquals(List.of(revoked.id, leaver.id),
                invitations.audit(account, AuditAction.INVITATION_ACCEPTED).stream().map(e -> e.userId).toList());
        assertTrue(invitations.audit(account, AuditAction.GRANT_ROLE_CHANGED).get(0).detail
                .contains(Role.ACCOUNT_BILLING.name()));

        List<AuditEvent> refusals = invitations.audit(account, AuditAction.ACCESS_NOT_FOUND).stream()
                .filter(e -> "invitation for another address".equals(e.target)).toList();
        assertEquals(1, refusals.size());
        assertEquals(intruder.id, refusals.get(0).userId);
        assertEquals(AuditEvent.Outcome.REFUSED, refusals.get(0).outcome);

        // Secrets never reach the log: no token of this account's invitations appears in any entry.
        String token = token(revokedLink);
        for (AuditEvent event : invitations.auditOf(account)) {
            assertFalse(String.valueOf(event.target).contains(token) || String.valueOf(event.detail).contains(token));
        }
    }

    private void assertAudited(Long accountId, AuditAction action, User actor, int expected) {
        List<AuditEvent> events = invitations.audit(accountId, action);
        assertEquals(expected, events.size(), action.name());
        for (AuditEvent event : events) {
            assertEquals(accountId, event.accountId, action.name());
            assertEquals(AuditEvent.Outcome.SUCCESS, event.outcome, action.name());
            assertNotNull(event.occurredAt);
            assertNotNull(event.target, action.name());
            if (actor != null) {
                assertEquals(actor.id, event.userId, action.name());
                assertEquals(actor.email, event.userEmail, action.name());
            }
        }
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(
                StandardCharsets.UTF_8)));
    }

    /** Access whose end date passed can be given again with a new invitation; live access cannot be doubled. */
    @Test
    void accessThatRanOutCanBeGivenAgainButLiveAccessCannot() {
        User owner = users.active("reinvite-owner");
        Long account = accounts.accountOf(owner);
        User ranOut = users.active("reinvite-ran-out");
        grants.direct(account, ranOut, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED,
                Instant.now().minus(Duration.ofDays(1)));
        User live = users.active("reinvite-live");
        grants.direct(account, live, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        String page = browser.get(sharing(account)).asString();
        assertTrue(page.contains("This access has ended. Invite " + ranOut.email + " again"), page);

        Long renewed = grants.invite(browser, account, ranOut.email, Role.ACCOUNT_ADMINISTRATOR, null);
        assertEquals(Grant.Status.PENDING, Grants.statusOf(renewed));

        Response refused = browser.post(sharing(account) + "/invite", "email", live.email, "role",
                Role.ACCOUNT_ADMINISTRATOR.name(), "label", "", "until", "");
        assertSeeOther(refused, sharing(account));
        assertTrue(browser.follow(refused).asString().contains("already has access or a pending invitation"));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> Grant.count("account.id = ?1 and grantee.id = ?2",
                account, live.id)));
    }
}
