package io.dap.portal.operator;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.AccessPolicy;
import io.dap.portal.access.Role;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.apitoken.ApiToken;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.impersonation.Impersonation;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.limit.LimitSettings;
import io.dap.portal.limit.LimitedAction;
import io.dap.portal.session.UserSession;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.OperatorFixtures;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R21, what an operator changes from the console: each action needs a reason, changes one thing
 * once (a second click finds nothing to do), is audited as the operator's with the person it
 * concerns as subject, and is mailed to that person. Disabling stops sign-in, sessions, API tokens
 * and grants on the next request; enabling gives back what was not revoked meanwhile.
 */
@QuarkusTest
class OperatorActionsTest {

    private static final String REASON = "Ticket 5150: account reported compromised";

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    ApiFixtures api;

    @Inject
    OperatorFixtures operators;

    @Inject
    TwoFactorCodes codes;

    @Inject
    Mailbox mailbox;

    @Inject
    AccessPolicy policy;

    private OperatorFixtures.Operator lead;
    private Browser operator;

    @BeforeEach
    void anOperator() {
        mailbox.clear();
        lead = operators.withTwoFactor(OperatorFixtures.LEAD);
        operator = codes.signIn(new Browser(), lead.user(), lead.secret());
    }

    @Test
    void disablingStopsSignInSessionsTokensGrantsAndKeysAndEnablingGivesBackWhatWasNotRevokedMeanwhile() {
        User owner = users.active("ops-owner");
        Long ownerAccount = accounts.accountOf(owner);
        User user = users.active("ops-disabled");
        Long kept = grants.direct(ownerAccount, user, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Infrastructure erp = accounts.infrastructure(ownerAccount, owner, "ERP");
        Browser userBrowser = new Browser().signIn(user.email, Users.PASSWORD);
        userBrowser.get("/accounts/" + ownerAccount + "/infrastructures").then().statusCode(200);
        String token = api.global(user);
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(200);
        assertTrue(policy.sshKeyHolders(erp).contains(user.id));

        // No reason, nothing happens.
        Response noReason = operator.post(userPath(user) + "/disable", "reason", "  ");
        assertEquals(303, noReason.statusCode());
        operator.follow(noReason).then().body(containsString("Give the reason"));
        assertEquals(User.Status.ACTIVE, statusOf(user));

        Response disabled = operator.post(userPath(user) + "/disable", "reason", REASON);
        assertEquals(303, disabled.statusCode());
        assertEquals(userPath(user), location(disabled));
        operator.follow(disabled).then().statusCode(200).body(containsString(user.email + " is disabled"))
                .body(containsString("Reason: “" + REASON + "”"));
        assertEquals(User.Status.DISABLED, statusOf(user));
        assertEquals(0, count("select count(s) from UserSession s where s.user.id = ?1", user.id));
        // The very next request of each way in fails; the grant itself is untouched.
        assertEquals("/login", location(userBrowser.get("/accounts/" + ownerAccount + "/infrastructures"))
                .replaceFirst("\\?.*", ""));
        assertTrue(location(new Browser().post("/login", "email", user.email, "password", Users.PASSWORD))
                .startsWith("/login"), "sign-in refused");
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(401);
        assertFalse(policy.sshKeyHolders(erp).contains(user.id), "no key on new drives while disabled");
        assertEquals(Grant.Status.ACCEPTED, Grants.statusOf(kept));
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        ownerBrowser.get("/accounts/" + ownerAccount + "/sharing/who-can-act").then().statusCode(200)
                .body(containsString("disabled this person"));

        AuditEvent entry = latest(user, "USER_DISABLED");
        assertEquals(lead.user().id, entry.userId);
        assertEquals(user.id, entry.subjectUserId);
        assertTrue(entry.byOperator);
        assertTrue(entry.detail.startsWith(REASON), entry.detail);
        Mail told = mailbox.single(user.email);
        assertEquals("Your portal account was disabled", told.getSubject());
        assertTrue(told.getText().contains(REASON) && told.getText().contains(lead.user().email), told.getText());

        // A second click finds nothing to do: no second entry, no second mail.
        operator.follow(operator.post(userPath(user) + "/disable", "reason", REASON)).then()
                .body(containsString("already disabled"));
        assertEquals(1, count("select count(e) from AuditEvent e where e.subjectUserId = ?1 and e.action"
                + " = 'USER_DISABLED'", user.id));
        assertEquals(1, mailbox.deliverAndRead(user.email).size());

        // Enabled again: everything comes back.
        mailbox.clear();
        operator.follow(operator.post(userPath(user) + "/enable", "reason", "Ticket 5150: owner confirmed"))
                .then().body(containsString(user.email + " is enabled again"));
        assertEquals(User.Status.ACTIVE, statusOf(user));
        Browser back = new Browser().signIn(user.email, Users.PASSWORD);
        back.get("/accounts/" + ownerAccount + "/infrastructures").then().statusCode(200);
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(200);
        assertTrue(policy.sshKeyHolders(erp).contains(user.id));
        assertEquals(lead.user().id, latest(user, "USER_ENABLED").userId);
        assertEquals("Your portal account was enabled again", mailbox.single(user.email).getSubject());

        // Unless revoked meanwhile: disabled, revoked by the owner, enabled — the grant stays ended.
        operator.post(userPath(user) + "/disable", "reason", REASON);
        api.revokeGrant(kept);
        operator.post(userPath(user) + "/enable", "reason", "Ticket 5151");
        new Browser().signIn(user.email, Users.PASSWORD).get("/accounts/" + ownerAccount + "/infrastructures")
                .then().statusCode(404);
        assertEquals(Grant.Status.REVOKED, Grants.statusOf(kept));
    }

    @Test
    void anOperatorCannotDisableThemselvesNorEnableARetiredAddress() {
        Response self = operator.post(userPath(lead.user()) + "/disable", "reason", REASON);
        operator.follow(self).then().body(containsString("You cannot disable yourself"));
        assertEquals(User.Status.ACTIVE, statusOf(lead.user()));

        User retired = QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = "retired-" + System.nanoTime() + ".invalid";
            u.displayName = "placeholder";
            u.status = User.Status.DISABLED;
            u.createdAt = Instant.now();
            u.persist();
            io.dap.portal.account.Account.openFor(u, u.createdAt);
            return u;
        });
        operator.get(userPath(retired)).then().statusCode(200).body(containsString("This address was retired"));
        operator.follow(operator.post(userPath(retired) + "/enable", "reason", REASON)).then()
                .body(containsString("it cannot be enabled"));
        assertEquals(User.Status.DISABLED, statusOf(retired));
        assertEquals(0, count("select count(e) from AuditEvent e where e.subjectUserId = ?1", retired.id));
        operator.post("/operator/users/999999999/disable", "reason", REASON).then().statusCode(404);
    }

    @Test
    void endingOneSessionOrEveryOneSignsTheUserOutThere() {
        User user = users.active("ops-sessions");
        Browser laptop = new Browser().signIn(user.email, Users.PASSWORD);
        Browser phone = new Browser().signIn(user.email, Users.PASSWORD);
        Long phoneSession = QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find(
                "user.id = ?1 order by id desc", user.id).firstResult().id);
        operator.get(userPath(user)).then().statusCode(200).body(containsString("Sign out this session"));

        operator.follow(operator.post(userPath(user) + "/sessions/" + phoneSession + "/end", "reason", REASON))
                .then().body(containsString("The session was signed out"));
        assertEquals(303, phone.get("/settings/profile").statusCode());
        laptop.get("/settings/profile").then().statusCode(200);
        AuditEvent one = latest(user, "SESSION_REVOKED");
        assertEquals(lead.user().id, one.userId);
        assertEquals("session " + phoneSession, one.target);
        assertTrue(one.byOperator);
        assertEquals("One of your portal sessions was signed out", mailbox.single(user.email).getSubject());
        operator.follow(operator.post(userPath(user) + "/sessions/" + phoneSession + "/end", "reason", REASON))
                .then().body(containsString("had already ended"));

        operator.follow(operator.post(userPath(user) + "/sessions/end-all", "reason", REASON)).then()
                .body(containsString("1 session signed out"));
        assertEquals(303, laptop.get("/settings/profile").statusCode());
        assertEquals(lead.user().id, latest(user, "SESSIONS_REVOKED_ALL").userId);
        operator.follow(operator.post(userPath(user) + "/sessions/end-all", "reason", REASON)).then()
                .body(containsString("had no session"));
        assertEquals(2, mailbox.deliverAndRead(user.email).size());
    }

    @Test
    void revokingATokenStopsItAtItsNextCallAndOnlyTheUsersOwnTokenCanBeNamed() {
        User user = users.active("ops-token");
        User other = users.active("ops-token-other");
        String token = api.global(user);
        String othersToken = api.global(other);
        Long tokenId = tokenIdOf(user);
        Long othersId = tokenIdOf(other);
        operator.get(userPath(user)).then().statusCode(200).body(containsString("Global"));

        operator.follow(operator.post(userPath(user) + "/api-tokens/" + othersId + "/revoke", "reason", REASON))
                .then().body(containsString("No such token"));
        ApiFixtures.api(othersToken).get("/api/v1/accounts").then().statusCode(200);

        operator.follow(operator.post(userPath(user) + "/api-tokens/" + tokenId + "/revoke", "reason", REASON))
                .then().body(containsString("revoked"));
        ApiFixtures.api(token).get("/api/v1/accounts").then().statusCode(401);
        AuditEvent entry = latest(user, "API_TOKEN_REVOKED");
        assertEquals(lead.user().id, entry.userId);
        assertTrue(entry.byOperator);
        assertTrue(mailbox.single(user.email).getText().contains(REASON));
        operator.follow(operator.post(userPath(user) + "/api-tokens/" + tokenId + "/revoke", "reason", REASON))
                .then().body(containsString("already been revoked"));
        assertTrue(mailbox.deliverAndRead(other.email).isEmpty());
    }

    @Test
    void aNewActivationLinkGoesOnlyToSomeoneWaitingForActivation() {
        User pending = pendingUser("ops-pending");
        operator.get(userPath(pending)).then().statusCode(200).body(containsString("Send the activation link again"));
        operator.follow(operator.post(userPath(pending) + "/resend-activation", "reason", "they lost the mail"))
                .then().body(containsString("A new activation link was sent"));
        Mail link = mailbox.single(pending.email);
        assertNotNull(Mailbox.linkPath(link, "/activate/"));
        AuditEvent entry = latest(pending, "ACTIVATION_MAIL_RESENT");
        assertEquals(lead.user().id, entry.userId);
        assertTrue(entry.byOperator);

        User active = users.active("ops-active");
        operator.follow(operator.post(userPath(active) + "/resend-activation", "reason", "why not")).then()
                .body(containsString("Only a user waiting for activation"));
        assertTrue(mailbox.deliverAndRead(active.email).isEmpty());
    }

    @Test
    void theConsolesActivationLinksSpendTheAddressesOneBudget() {
        // the documented default (the suite's configuration lifts the limits): five mails an hour per address
        QuarkusMock.installMockForType(new LimitSettings() {
            @Override
            public Duration window() {
                return Duration.ofHours(1);
            }

            @Override
            public int allowed(LimitedAction action, LimitedAction.Dimension dimension) {
                return dimension == LimitedAction.Dimension.RECIPIENT ? 5 : 100_000;
            }
        }, LimitSettings.class);
        User pending = pendingUser("ops-flood");
        for (int i = 0; i < 3; i++) {
            assertEquals(303, new Browser().from("198.51.100." + (60 + i)).post("/activate", "email", pending.email)
                    .statusCode(), "the user's own request " + i);
        }
        for (int i = 0; i < 2; i++) {
            operator.follow(operator.post(userPath(pending) + "/resend-activation", "reason", REASON)).then()
                    .body(containsString("A new activation link was sent"));
        }
        Response refused = operator.post(userPath(pending) + "/resend-activation", "reason", REASON);
        assertEquals(429, refused.statusCode(), refused.asString());
        assertNotNull(refused.header("Retry-After"));
        assertTrue(refused.asString().contains("Too many requests"));
        assertEquals(5, mailbox.deliverAndRead(pending.email).size(), "five mails, the sixth refused");
        assertEquals(1L, count("select count(e) from AuditEvent e where e.action = 'RATE_LIMITED' and e.target like ?1",
                "%" + pending.email + "%"), "the refusal is audited");
        assertEquals(2L, count("select count(e) from AuditEvent e where e.action = 'ACTIVATION_MAIL_RESENT'"
                + " and e.byOperator = true and e.subjectUserId = ?1", pending.id), "only the two sent are the operator's");
    }

    @Test
    void aReasonIsReadLikeEveryOtherTextAControlCharacterIsRefusedAndNothingChanges() {
        User user = users.active("ops-nul-reason");
        for (String bad : List.of("Ticket\u0000 5150", "Ticket \u202e0515", "Ticket\u0007")) {
            Response refused = operator.post(userPath(user) + "/disable", "reason", bad);
            assertEquals(303, refused.statusCode());
            operator.follow(refused).then().body(containsString("no tabs or invisible control characters"));
            assertEquals(User.Status.ACTIVE, statusOf(user), "not disabled for " + bad.codePoints().max().orElse(0));
        }
        // several lines are a reason still, as for the owner's impersonation
        operator.follow(operator.post(userPath(user) + "/disable", "reason", "Ticket 5150\r\nreported by phone"))
                .then().body(containsString(user.email + " is disabled"));
        assertEquals(User.Status.DISABLED, statusOf(user));
        assertTrue(mailbox.single(user.email).getText().contains("Ticket 5150\nreported by phone"));
    }

    @Test
    void cancellingAPendingInvitationKillsItsLinkAndTellsTheOwner() {
        User owner = users.active("ops-inviter");
        Long ownerAccount = accounts.accountOf(owner);
        User invitee = users.active("ops-invitee");
        User bystander = users.active("ops-bystander");
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Long grant = grants.invite(ownerBrowser, ownerAccount, invitee.email, Role.ACCOUNT_BILLING, null);
        Long othersGrant = grants.direct(ownerAccount, bystander, Role.ACCOUNT_READ_ONLY, Grant.Status.PENDING, null);
        String link = grants.invitationLink(invitee.email);
        mailbox.clear();

        operator.follow(operator.post(userPath(invitee) + "/invitations/" + othersGrant + "/cancel", "reason",
                REASON)).then().body(containsString("no longer pending"));
        assertEquals(Grant.Status.PENDING, Grants.statusOf(othersGrant));

        operator.follow(operator.post(userPath(invitee) + "/invitations/" + grant + "/cancel", "reason", REASON))
                .then().body(containsString("Invitation cancelled"));
        assertEquals(Grant.Status.CANCELLED, Grants.statusOf(grant));
        new Browser().signIn(invitee.email, Users.PASSWORD).get(link).then().body(containsString("This invitation is not valid"));
        AuditEvent entry = latest(invitee, "INVITATION_CANCELLED");
        assertEquals(lead.user().id, entry.userId);
        assertEquals(ownerAccount, entry.accountId);
        assertTrue(entry.byOperator);
        assertTrue(entry.detail.contains(REASON));
        Mail told = mailbox.single(owner.email);
        assertEquals("An invitation to your account was cancelled", told.getSubject());
        assertTrue(told.getText().contains(invitee.email), told.getText());
        operator.follow(operator.post(userPath(invitee) + "/invitations/" + grant + "/cancel", "reason", REASON))
                .then().body(containsString("no longer pending"));
    }

    @Test
    void anOperatorEndsAnImpersonationInProgressAndBothPeopleAreTold() {
        User owner = users.active("ops-imp-owner");
        Long ownerAccount = accounts.accountOf(owner);
        accounts.makeBillable(ownerAccount);
        User admin = users.active("ops-imp-admin");
        grants.direct(ownerAccount, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        adminBrowser.get("/accounts/" + ownerAccount + "/impersonation").then().statusCode(200);
        assertEquals(303, adminBrowser.post("/accounts/" + ownerAccount + "/impersonation", "reason", "card",
                "password", Users.PASSWORD).statusCode());
        adminBrowser.get("/accounts/" + ownerAccount + "/billing").then().statusCode(200);
        Long impersonation = QuarkusTransaction.requiringNew().call(() -> Impersonation.<Impersonation>find(
                "impersonator.id = ?1 order by id desc", admin.id).firstResult().id);
        mailbox.deliverAndRead(owner.email);
        mailbox.clear();

        String page = operator.get("/operator/accounts/" + ownerAccount).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Impersonations in progress") && page.contains(admin.email), page);
        operator.follow(operator.post("/operator/accounts/" + ownerAccount + "/impersonations/" + impersonation
                + "/end", "reason", REASON)).then().body(containsString("Impersonation ended"));
        adminBrowser.get("/accounts/" + ownerAccount + "/billing").then().statusCode(403);
        Impersonation ended = QuarkusTransaction.requiringNew().call(() -> Impersonation.findById(impersonation));
        assertEquals(Impersonation.EndReason.ENDED_BY_OPERATOR, ended.endReason);
        AuditEvent entry = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "action = 'IMPERSONATION_ENDED' and accountId = ?1 order by id desc", ownerAccount).firstResult());
        assertEquals(lead.user().id, entry.userId);
        assertTrue(entry.byOperator);
        assertEquals("ended by the portal's support staff: " + REASON, entry.detail);
        for (User told : List.of(owner, admin)) {
            assertEquals("An impersonation was ended by the portal's support staff",
                    mailbox.single(told.email).getSubject());
        }
        operator.follow(operator.post("/operator/accounts/" + ownerAccount + "/impersonations/" + impersonation
                + "/end", "reason", REASON)).then().body(containsString("had already ended"));
        assertNull(QuarkusTransaction.requiringNew().call(() -> UserSession.<UserSession>find(
                "user.id = ?1", admin.id).firstResult().impersonationId));
    }

    // Helpers

    private static User pendingUser(String prefix) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = Users.uniqueEmail(prefix);
            u.displayName = "Pending";
            u.status = User.Status.PENDING_ACTIVATION;
            u.createdAt = Instant.now();
            u.persist();
            io.dap.portal.account.Account.openFor(u, u.createdAt);
            return u;
        });
    }

    private static String userPath(User user) {
        return "/operator/users/" + user.id;
    }

    private static String location(Response redirect) {
        return redirect.header("Location").replaceFirst("^https?://[^/]+", "");
    }

    private static User.Status statusOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id).status);
    }

    private static Long tokenIdOf(User user) {
        return QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>find("user.id = ?1", user.id)
                .firstResult().id);
    }

    private static AuditEvent latest(User subject, String action) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "subjectUserId = ?1 and action = ?2 order by id desc", subject.id, action).firstResult());
    }

    private static long count(String query, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = io.quarkus.hibernate.orm.panache.Panache.getEntityManager().createQuery(query, Long.class);
            for (int i = 0; i < parameters.length; i++) {
                q.setParameter(i + 1, parameters[i]);
            }
            return q.getSingleResult();
        });
    }
}
