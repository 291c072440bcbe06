package io.dap.portal.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The access name (label) is the granting side's private note: the owner sees the labels of
 * account grants, and the owner and account Administrators see those of infrastructure grants on
 * the Sharing tab. The person invited never sees either — not in the invitation mail or page,
 * Shared with me, the switch menu, notifications, mails about their access, the security log or
 * the API.
 */
@QuarkusTest
class LabelPrivacyTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    Mailbox mailbox;

    @Inject
    ApiFixtures api;

    @BeforeEach
    void clearMailbox() {
        mailbox.clear();
    }

    @Test
    void theGranteeNeverSeesTheLabelAnywhereAndTheGrantingSideDoes() {
        String accountLabel = "acct-secret-" + System.nanoTime();
        String infraLabel = "infra-secret-" + System.nanoTime();
        User owner = users.active("label-owner");
        Long account = accounts.accountOf(owner);
        Browser ownerBrowser = new Browser().signIn(owner.email, Users.PASSWORD);
        Infrastructure x = accounts.infrastructure(account, owner, "Label X");
        User admin = users.active("label-admin");
        Browser adminBrowser = new Browser().signIn(admin.email, Users.PASSWORD);
        grants.share(ownerBrowser, account, adminBrowser, admin, Role.ACCOUNT_ADMINISTRATOR);
        User grantee = users.active("label-grantee");
        Browser granteeBrowser = new Browser().signIn(grantee.email, Users.PASSWORD);

        // The owner labels the account grant; the Administrator labels an infrastructure grant.
        ownerBrowser.post("/accounts/" + account + "/sharing/invite", "email", grantee.email, "role",
                Role.ACCOUNT_BILLING.name(), "label", accountLabel, "until", "").then().statusCode(303);
        grants.inviteToInfrastructure(adminBrowser, account, x.id, grantee.email, Role.INFRASTRUCTURE_ADMINISTRATOR,
                infraLabel);

        Map<String, String> seenByGrantee = new LinkedHashMap<>();
        List<Mail> invitations = mailbox.deliverAndRead(grantee.email);
        assertEquals(2, invitations.size());
        for (Mail mail : invitations) {
            seenByGrantee.put("invitation mail " + mail.getSubject(), mail.getSubject() + mail.getText() + mail.getHtml());
        }
        List<String> links = new ArrayList<>();
        invitations.forEach(m -> links.add(Mailbox.linkPath(m, "/invitations/")));
        for (String link : links) {
            seenByGrantee.put("invitation page " + link, granteeBrowser.get(link).asString());
        }
        seenByGrantee.put("shared with me (pending)", granteeBrowser.get("/settings/shared-with-me").asString());
        for (String link : links) {
            granteeBrowser.post(link + "/accept").then().statusCode(303);
        }
        mailbox.clear();
        seenByGrantee.put("shared with me", granteeBrowser.get("/settings/shared-with-me").asString());
        seenByGrantee.put("switch menu", granteeBrowser.get("/settings/profile").asString());
        seenByGrantee.put("switch page", granteeBrowser.get("/switch").asString());
        seenByGrantee.put("infrastructure tab", granteeBrowser
                .get("/accounts/" + account + "/infrastructures/" + x.id + "/sharing").asString());
        String token = api.global(grantee);
        seenByGrantee.put("API accounts", ApiFixtures.api(token).get("/api/v1/accounts?size=100").asString());
        seenByGrantee.put("API grants", ApiFixtures.api(token)
                .get("/api/v1/accounts/" + account + "/infrastructures/" + x.id + "/grants").asString());

        // Changes to the access are told without the label too.
        Long accountGrant = grantOf(grantee, account, Role.Scope.ACCOUNT);
        ownerBrowser.post("/accounts/" + account + "/sharing/" + accountGrant + "/role", "role",
                Role.ACCOUNT_READ_ONLY.name()).then().statusCode(303);
        ownerBrowser.post("/accounts/" + account + "/sharing/" + accountGrant + "/revoke", "endEvery", "on")
                .then().statusCode(303);
        for (Mail mail : mailbox.deliverAndRead(grantee.email)) {
            seenByGrantee.put("mail " + mail.getSubject(), mail.getSubject() + mail.getText() + mail.getHtml());
        }
        seenByGrantee.put("notifications", granteeBrowser.get("/notifications").asString());
        seenByGrantee.put("security log", granteeBrowser.get("/settings/security-log").asString());

        assertTrue(seenByGrantee.size() >= 14, seenByGrantee.keySet().toString());
        seenByGrantee.forEach((where, content) -> {
            assertFalse(content.contains(accountLabel), "the account label leaked into: " + where);
            assertFalse(content.contains(infraLabel), "the infrastructure label leaked into: " + where);
        });

        // The granting side sees them where it manages the grants.
        assertTrue(ownerBrowser.get("/accounts/" + account + "/sharing").asString().contains(accountLabel));
        assertTrue(adminBrowser.get("/accounts/" + account + "/infrastructures/" + x.id + "/sharing").asString()
                .contains(infraLabel), "an Administrator manages that tab and sees its labels");
        assertTrue(ownerBrowser.get("/accounts/" + account + "/infrastructures/" + x.id + "/sharing").asString()
                .contains(infraLabel));
    }

    private static Long grantOf(User grantee, Long account, Role.Scope scope) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Grant.find(
                "select g.id from Grant g where g.grantee.id = ?1 and g.account.id = ?2 and g.scope = ?3", grantee.id,
                account, scope).project(Long.class).firstResult());
    }
}
