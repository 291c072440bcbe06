package io.dap.portal.sharing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 4 in a real browser, three people at once: finance invites ops (Administrator) and a newcomer
 * (Billing); both accept from their mail; ops deploys in finance's account; finance revokes the
 * Billing delegate, whose very next request gets 404 (R3, R6, R7, R8, R9, R15).
 */
@QuarkusTest
class SharingStoryBrowserTest {

    /** Sign-in checks a bcrypt hash; the first one in a cold, busy JVM can outlast the default 15 s. */
    private static final Locator.ClickOptions SIGN_IN = new Locator.ClickOptions().setTimeout(45_000);

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Mailbox mailbox;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void shutDown() {
        chromium.close();
    }

    @BeforeEach
    void emptyMailbox() {
        mailbox.clear();
    }

    @Test
    void financeInvitesOpsAndANewcomerBothAcceptOpsDeploysAndTheRevokedBillingDelegateGets404() {
        User finance = users.active(Users.uniqueEmail("finance"), "Fiona Finance");
        User ops = users.active(Users.uniqueEmail("ops"), "Oscar Ops");
        String newcomer = Users.uniqueEmail("accountant");
        Long financeAccount = accounts.accountOf(finance);
        accounts.makeBillable(financeAccount);
        String account = base + "accounts/" + financeAccount;

        Page financePage = signIn(finance.email, Users.PASSWORD);
        financePage.locator("details.user-menu summary").click();
        financePage.getByRole(AriaRole.LINK, named("Account sharing")).first().click();
        assertThat(financePage).hasURL(account + "/sharing");
        invite(financePage, ops.email, "Administrator", "operations");
        invite(financePage, newcomer, "Billing", "external accountant");
        Locator delegates = financePage.getByRole(AriaRole.TABLE, named("Account delegates, newest first"));
        assertThat(row(delegates, ops.email)).containsText("Pending");
        assertThat(row(delegates, newcomer)).containsText("Pending");

        // ops, already a user, accepts from the mail link.
        Page opsPage = signIn(ops.email, Users.PASSWORD);
        assertEquals(404, status(opsPage, account + "/infrastructures"));
        opsPage.navigate(base + Mailbox.linkPath(mailbox.single(ops.email), "/invitations/").substring(1));
        assertThat(opsPage.locator("main")).containsText("Fiona Finance (" + finance.email + ") invites " + ops.email);
        assertThat(opsPage.locator("main")).containsText("with the role Administrator");
        opsPage.getByRole(AriaRole.BUTTON, named("Accept")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");
        assertThat(opsPage.getByRole(AriaRole.TABLE, named("Accounts and infrastructures shared with you")))
                .containsText(finance.email);

        // The newcomer has no account: the link proves the address, so they choose name and password
        // there and are signed in, back on the invitation to accept it (R18).
        Page newcomerPage = chromium.newPage();
        newcomerPage.navigate(base + Mailbox.linkPath(mailbox.single(newcomer), "/invitations/").substring(1));
        assertThat(newcomerPage.getByRole(AriaRole.HEADING, named("You are invited"))).isVisible();
        assertThat(newcomerPage.locator("main")).containsText("with the role Billing");
        assertThat(newcomerPage.getByRole(AriaRole.BUTTON, named("Accept"))).hasCount(0);
        Chromium.screenshot(newcomerPage, "sharing-invitation");
        String newcomerPassword = "a newcomer passphrase";
        newcomerPage.getByLabel("Your name").fill("Alex Accountant");
        newcomerPage.getByLabel("Choose a password").fill(newcomerPassword);
        newcomerPage.getByRole(AriaRole.BUTTON, named("Activate my account")).click(SIGN_IN);
        assertThat(newcomerPage.getByRole(AriaRole.STATUS)).containsText("Your account is active");
        assertThat(newcomerPage.getByRole(AriaRole.HEADING, named("You are invited"))).isVisible();
        newcomerPage.getByRole(AriaRole.BUTTON, named("Accept")).click();
        assertThat(newcomerPage.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");
        assertEquals(200, status(newcomerPage, account + "/billing"));
        assertThat(h1(newcomerPage)).hasText("Billing");
        // Billing manages finance's billing information (R6).
        assertThat(newcomerPage.locator("main")).containsText("Visa •••• 4242");
        assertThat(newcomerPage.getByRole(AriaRole.BUTTON, named("Save payment method"))).isVisible();

        // ops, acting in finance's account, creates and deploys; finance owns it and pays (R7).
        opsPage.navigate(account + "/infrastructures");
        assertThat(opsPage.getByRole(AriaRole.NAVIGATION, named("Main")).getByRole(AriaRole.LINK, within("Billing")))
                .hasCount(0);
        opsPage.getByRole(AriaRole.LINK, named("New infrastructure")).click();
        assertThat(opsPage.locator("main")).containsText("It belongs to the account of Fiona Finance");
        opsPage.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("ERP");
        opsPage.getByLabel("Department or cost centre").fill("Logistics");
        opsPage.getByRole(AriaRole.BUTTON, named("Create")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("Infrastructure ERP created");
        opsPage.getByLabel("Drive name").fill("erp-1");
        opsPage.getByLabel("Size in GB").fill("50");
        opsPage.getByRole(AriaRole.BUTTON, named("Add drive")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("Drive erp-1 added");
        opsPage.getByRole(AriaRole.BUTTON, named("Deploy")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("Deployed: 1 drive provisioned.");
        assertEquals(financeAccount, ownerOf("ERP", ops));

        // The Billing delegate sees the infrastructure but changes nothing of it (R6).
        newcomerPage.navigate(account + "/infrastructures");
        assertThat(newcomerPage.getByRole(AriaRole.LINK, named("New infrastructure"))).hasCount(0);
        newcomerPage.getByRole(AriaRole.LINK, named("ERP")).click();
        assertThat(h1(newcomerPage)).containsText("ERP");
        assertThat(newcomerPage.getByRole(AriaRole.BUTTON, named("Deploy"))).hasCount(0);
        assertThat(newcomerPage.getByRole(AriaRole.FORM, named("Add a drive"))).hasCount(0);

        // finance sees both delegates as Accepted, and the infrastructure ops built.
        financePage.navigate(account + "/infrastructures");
        assertThat(financePage.getByRole(AriaRole.ROW, named(Pattern.compile("^ERP")))).containsText("Oscar Ops");
        financePage.navigate(account + "/sharing");
        assertThat(row(delegates, ops.email)).containsText("Accepted");
        assertThat(row(delegates, ops.email)).containsText("Administrator");
        assertThat(row(delegates, newcomer)).containsText("Accepted");
        assertThat(row(delegates, newcomer)).containsText("Billing");
        Chromium.screenshot(financePage, "sharing-page");

        // finance revokes the Billing delegate through the confirmation page.
        Locator newcomerRow = row(delegates, newcomer);
        newcomerRow.getByText("Manage").click();
        newcomerRow.getByRole(AriaRole.LINK, within("Revoke…")).click();
        assertThat(h1(financePage))
                .hasText("Revoke " + newcomer + "?");
        assertThat(financePage.locator("main")).containsText("loses the role Billing");
        financePage.getByRole(AriaRole.BUTTON, named("Revoke access")).click();
        assertThat(financePage.getByRole(AriaRole.STATUS)).containsText("Access revoked");
        assertThat(row(delegates, newcomer)).containsText("Revoked");
        assertThat(row(delegates, ops.email)).containsText("Accepted");

        // The revoked delegate's very next request: 404 (R9, R15); ops keeps working.
        assertEquals(404, status(newcomerPage, account + "/billing"));
        assertEquals(404, status(newcomerPage, account + "/invoices"));
        assertEquals(200, status(opsPage, account + "/infrastructures"));
        assertThat(opsPage.getByRole(AriaRole.LINK, named("ERP"))).isVisible();
    }

    private Page signIn(String email, String password) {
        Page page = chromium.newPage();
        page.navigate(base + "login");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SIGN_IN);
        assertThat(h1(page)).hasText("Dashboard");
        return page;
    }

    private static void invite(Page page, String email, String role, String label) {
        page.getByLabel("Email addresses", new Page.GetByLabelOptions().setExact(true)).fill(email);
        page.getByRole(AriaRole.RADIO, named(Pattern.compile("^" + role + " —"))).check();
        page.getByLabel("Label (optional, private)").fill(label);
        page.getByRole(AriaRole.BUTTON, named("Invite")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText(" sent to " + email);
    }

    private static Locator row(Locator table, String text) {
        return table.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(text));
    }

    private static int status(Page page, String url) {
        return page.navigate(url).status();
    }

    private static Long ownerOf(String label, User creator) {
        return QuarkusTransaction.requiringNew().call(() -> Infrastructure.<Infrastructure>find(
                "label = ?1 and createdBy.id = ?2", label, creator.id).singleResult().account.id);
    }

    private static Locator h1(Page page) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private static Page.GetByRoleOptions named(Pattern name) {
        return new Page.GetByRoleOptions().setName(name);
    }

    private static Locator.GetByRoleOptions within(String name) {
        return new Locator.GetByRoleOptions().setName(name).setExact(true);
    }
}
