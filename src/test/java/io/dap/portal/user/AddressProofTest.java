package io.dap.portal.user;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.session.LoginService;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Invitations;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R18, written as the attack: a stranger signs up with somebody else's address and types a
 * password, hoping it survives the real person's proof of the address. Every way of proving it
 * (activation link, invitation link, password reset) must leave the stranger with nothing.
 */
@QuarkusTest
class AddressProofTest {

    private static final String STRANGER_PASSWORD = "stranger knows this one";
    private static final String OWNER_OF_ADDRESS_PASSWORD = "the real owner chose this";

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Invitations invitations;

    @Inject
    Mailbox mailbox;

    @Inject
    LoginService logins;

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void signUpThenInvitationTheInviteeChoosesThePasswordAndTheStrangersOpensNothing() {
        String victim = Users.uniqueEmail("victim");
        Browser stranger = new Browser();
        signUp(stranger, victim, "Mallory", STRANGER_PASSWORD).then().statusCode(303);
        assertNull(stored(victim).passwordHash, "an unproved sign-up holds no credential");
        String strangersLink = Mailbox.linkPath(mailbox.single(victim), "/activate/");

        User owner = users.active("takeover-owner");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Long account = accounts.accountOf(owner);
        Long grant = grants.invite(ownerBrowser, account, victim, Role.ACCOUNT_ADMINISTRATOR, null);
        String link = grants.invitationLink(victim);

        Browser real = new Browser();
        real.get(link).then().statusCode(200).body(containsString("name=\"password\""))
                .body(containsString("Whatever was chosen for this address before no longer works"));
        Response activated = real.post(link + "/activate", "displayName", "Vera Victim", "password",
                OWNER_OF_ADDRESS_PASSWORD);
        activated.then().statusCode(303).header("Location", endsWith(link));
        assertNotNull(real.cookie("portal_session"), "signed in right after the proof");
        real.follow(activated).then().statusCode(200).body(containsString(">Accept</button>"));

        assertCannotSignIn(victim, STRANGER_PASSWORD);
        real.get(strangersLink).then().statusCode(404);
        assertEquals(303, real.post(link + "/accept").statusCode());
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(grant));
        assertCannotSignIn(victim, STRANGER_PASSWORD);
        new Browser().signIn(victim, OWNER_OF_ADDRESS_PASSWORD);
        assertEquals("Vera Victim", stored(victim).displayName);
    }

    @Test
    void invitationThenSignUpFormTheInvitationWaitsRightAfterActivationWithTheNameTyped() {
        User owner = users.active("plain-owner");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Long account = accounts.accountOf(owner);
        String invitee = Users.uniqueEmail("invitee");
        Long grant = grants.invite(ownerBrowser, account, invitee, Role.ACCOUNT_READ_ONLY, null);

        // A stranger gets in first with the invited address and a password of their own.
        Browser stranger = new Browser();
        Response strangers = signUp(stranger, invitee, "Mallory", STRANGER_PASSWORD);
        // The invitee uses the plain sign-up form instead of the mail's link.
        Browser real = new Browser();
        Response reals = signUp(real, invitee, "Ingrid Invitee", "typed at sign-up by the invitee");
        assertEquals(strangers.header("Location"), reals.header("Location"), "the second sign-up reveals nothing");
        assertEquals(Invitations.flash(strangers), Invitations.flash(reals));

        List<String> links = activationLinks(invitee);
        assertEquals(2, links.size());
        real.get(links.get(0)).then().statusCode(404);
        real.get(links.get(1)).then().statusCode(200).body(containsString("value=\"Ingrid Invitee\""))
                .body(containsString("name=\"password\""));
        Response activated = real.post(links.get(1), "displayName", "Ingrid Invitee", "password",
                OWNER_OF_ADDRESS_PASSWORD);
        // Straight to the dashboard, the invitation on top.
        activated.then().statusCode(303).header("Location", matchesPattern("https?://[^/]+/"));
        real.follow(activated).then().statusCode(200)
                .body(containsString("Your account is active and you are signed in"))
                .body(containsString("invites you to"))
                .body(containsString("/settings/shared-with-me/" + grant + "/accept"))
                .body(containsString("Ingrid Invitee"));
        assertEquals("Ingrid Invitee", stored(invitee).displayName);

        assertCannotSignIn(invitee, STRANGER_PASSWORD);
        assertCannotSignIn(invitee, "typed at sign-up by the invitee");
        assertEquals(303, real.post("/settings/shared-with-me/" + grant + "/accept").statusCode());
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(grant));
    }

    @Test
    void twoSignUpsThePasswordIsChosenOnTheActivationPageAndNeitherTypedBeforeSurvives() {
        String victim = Users.uniqueEmail("twice");
        Response first = signUp(new Browser(), victim, "Mallory", STRANGER_PASSWORD);
        Response second = signUp(new Browser(), victim, "Vera", "typed at sign-up, never again");
        assertEquals(first.statusCode(), second.statusCode());
        assertEquals(first.header("Location"), second.header("Location"));
        assertEquals(Invitations.flash(first), Invitations.flash(second), "the second sign-up reveals nothing");

        List<String> links = activationLinks(victim);
        assertEquals(2, links.size());
        Browser real = new Browser();
        real.get(links.get(0)).then().statusCode(404);
        real.get(links.get(1)).then().statusCode(200).body(containsString("name=\"password\""))
                .body(containsString("value=\"Vera\""));
        Response activated = real.post(links.get(1), "displayName", "Vera", "password", OWNER_OF_ADDRESS_PASSWORD);
        activated.then().statusCode(303).header("Location", endsWith("/infrastructures"));
        assertNotNull(real.cookie("portal_session"));

        assertCannotSignIn(victim, STRANGER_PASSWORD);
        assertCannotSignIn(victim, "typed at sign-up, never again");
        new Browser().signIn(victim, OWNER_OF_ADDRESS_PASSWORD);
    }

    @Test
    void signUpThenPasswordResetTheResetLinkOpensThePasswordChoiceAndTheStrangersDies() {
        String victim = Users.uniqueEmail("reset");
        signUp(new Browser(), victim, "Mallory", STRANGER_PASSWORD).then().statusCode(303);
        mailbox.deliverAndRead(victim);
        mailbox.clear();

        Browser real = new Browser();
        real.post("/forgot-password", "email", victim).then().statusCode(303);
        String link = Mailbox.linkPath(mailbox.single(victim), "/activate/");
        real.get(link).then().statusCode(200).body(containsString("name=\"password\""));
        Response activated = real.post(link, "displayName", "Vera Victim", "password", OWNER_OF_ADDRESS_PASSWORD);
        activated.then().statusCode(303).header("Location", endsWith("/infrastructures"));

        assertCannotSignIn(victim, STRANGER_PASSWORD);
        new Browser().signIn(victim, OWNER_OF_ADDRESS_PASSWORD);
        assertEquals(User.Status.ACTIVE, stored(victim).status);
    }

    @Test
    void anActivationLinkWithoutAGoodPasswordActivatesNothing() {
        String email = Users.uniqueEmail("weak");
        signUp(new Browser(), email, "Weak", STRANGER_PASSWORD);
        String link = Mailbox.linkPath(mailbox.single(email), "/activate/");
        Browser browser = new Browser();
        browser.get(link);
        for (String weak : new String[] { "", "short", "password1234" }) {
            Response refused = browser.post(link, "displayName", "Weak", "password", weak);
            refused.then().statusCode(303).header("Location", endsWith(link));
            browser.follow(refused).then().statusCode(200).body(containsString("id=\"f-password-error\""))
                    .body(containsString("value=\"Weak\""));
        }
        Response nameless = browser.post(link, "displayName", " ", "password", OWNER_OF_ADDRESS_PASSWORD);
        browser.follow(nameless).then().body(containsString("id=\"f-displayName-error\""));
        assertEquals(User.Status.PENDING_ACTIVATION, stored(email).status);
        assertNull(stored(email).passwordHash);
        assertNull(browser.cookie("portal_session"));
        browser.get(link).then().statusCode(200);
    }

    /**
     * The form asks for no password any more; the field is sent anyway, as an old form or a script
     * would, to show that nothing typed before the proof becomes a credential.
     */
    private static Response signUp(Browser browser, String email, String name, String password) {
        return browser.post("/signup", "email", email, "displayName", name, "password", password);
    }

    /** Activation links mailed to the address, oldest first. */
    private List<String> activationLinks(String email) {
        return mailbox.deliverAndRead(email).stream().map(Mail::getText).map(AddressProofTest::activationPath)
                .filter(p -> p != null).toList();
    }

    private static String activationPath(String text) {
        Matcher matcher = Pattern.compile("https?://[^/\\s]+(/activate/[^\\s]+)").matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Asked of the sign-in service from a client of its own, so the suite's shared client is never slowed. */
    private void assertCannotSignIn(String email, String password) {
        String client = "203.0.113." + CLIENTS.incrementAndGet() % 250;
        LoginService.Result result = logins.attempt(email, password, client);
        assertTrue(result instanceof LoginService.BadCredentials, "signed in with " + password + ": " + result);
    }

    private static User stored(String email) {
        return QuarkusTransaction.requiringNew().call(() -> User.findByEmail(email).orElseThrow());
    }
}
