package io.dap.portal.operator;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.audit.AuditEvent;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.OperatorFixtures;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R21 in a real browser, on the demo organisation of DESIGN §5: an operator signs in with a code,
 * finds finance's account in the console and sees ops, mktg, logistics and bi with their grants;
 * acts as finance read-only and still sees, beside finance's pages, every delegation of the
 * account in view; stops. finance has the mail and reads both names on each entry of their
 * security log and of the account's audit log.
 */
@QuarkusTest
class OperatorStoryBrowserTest {

    private static final Locator.ClickOptions SLOW = new Locator.ClickOptions().setTimeout(45_000);
    private static final String REASON = "Ticket 8812: finance asks why BI can deploy ERP";
    private static final String ACCOUNT_NAME = "Acme Corp";
    private static final Pattern SIGN_IN_PAGES = Pattern.compile(".*/login.*");

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    OperatorFixtures operators;

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
    void anOperatorFindsFinanceSeesEveryDelegationActsAsFinanceReadOnlyWithThePanelAndStops() {
        // The demo organisation: finance owns and pays; ops administers; ops shared one infrastructure each.
        User finance = users.active(Users.uniqueEmail("finance"), "Fiona Marsh");
        User ops = users.active(Users.uniqueEmail("ops"), "Oscar Patel");
        User mktg = users.active(Users.uniqueEmail("mktg"), "Maya Lindqvist");
        User logistics = users.active(Users.uniqueEmail("logistics"), "Luca Romano");
        User bi = users.active(Users.uniqueEmail("bi"), "Bea Kowalski");
        Long account = accounts.accountOf(finance);
        accounts.makeBillable(account);
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(account).displayName = ACCOUNT_NAME);
        grants.direct(account, ops, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Long web = accounts.infrastructure(account, ops, "Web").id;
        Long hadoop = accounts.infrastructure(account, ops, "Hadoop").id;
        Long erp = accounts.infrastructure(account, ops, "ERP").id;
        givenByOps(grants.directOnInfrastructure(web, mktg, Role.INFRASTRUCTURE_ADMINISTRATOR), ops);
        givenByOps(grants.directOnInfrastructure(erp, logistics, Role.INFRASTRUCTURE_ADMINISTRATOR), ops);
        givenByOps(grants.directOnInfrastructure(hadoop, bi, Role.INFRASTRUCTURE_ADMINISTRATOR), ops);
        givenByOps(grants.directOnInfrastructure(erp, bi, Role.INFRASTRUCTURE_ADMINISTRATOR), ops);
        OperatorFixtures.Operator lead = operators.withTwoFactor(OperatorFixtures.LEAD);

        // The operator signs in with password and code, and opens the console from the user menu.
        Page page = chromium.newPage();
        page.setDefaultTimeout(45_000);
        page.navigate(base + "login");
        page.getByLabel("Email").fill(lead.user().email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        page.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))
                .fill(TwoFactorCodes.code(lead.secret(), Instant.now()));
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        // Wherever sign-in lands, the user menu is there.
        assertThat(page).not().hasURL(SIGN_IN_PAGES);
        page.locator("details.user-menu summary").click();
        page.getByRole(AriaRole.LINK, named("Operator console")).click();
        assertThat(page.getByRole(AriaRole.REGION, named("Operator console"))).containsText("Operator console");
        assertThat(page.locator("body")).hasClass("operator-console");

        // Finds finance's account by its owner's address.
        page.getByRole(AriaRole.SEARCHBOX).fill(finance.email);
        page.getByRole(AriaRole.BUTTON, named("Search")).click();
        Locator results = page.getByRole(AriaRole.TABLE, named("Users and accounts matching “" + finance.email + "”"));
        assertThat(results.locator("tbody tr")).hasCount(1);
        results.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(ACCOUNT_NAME)).click();
        assertThat(h1(page)).hasText(ACCOUNT_NAME);
        assertThat(page.locator("main")).containsText("Billable");

        // Every delegation: ops account-wide, the departments one infrastructure each (bi two).
        assertDelegation(page, ops, "Account-wide", "Administrator");
        assertDelegation(page, mktg, "Web", "Administrator");
        assertDelegation(page, logistics, "ERP", "Administrator");
        assertDelegation(page, bi, "Hadoop", "Administrator");
        assertDelegation(page, bi, "ERP", "Administrator");
        assertThat(person(page, bi).locator("tbody tr")).hasCount(2);
        assertThat(person(page, mktg)).containsText("Oscar Patel");
        Chromium.screenshot(page, "operator-console-account");

        // Acts as finance: a reason and a fresh code.
        page.getByRole(AriaRole.LINK, named(finance.email)).first().click();
        assertThat(h1(page)).hasText(finance.email);
        page.getByText("Act as this user…").click();
        Locator act = page.getByRole(AriaRole.FORM, named("Act as this user"));
        act.getByLabel("Reason (" + finance.email + " reads it)").fill(REASON);
        act.getByLabel("Code from your authenticator app").fill(TwoFactorCodes.nextCode(lead.secret(), Instant.now()));
        act.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Act as " + finance.email)).click(SLOW);

        // finance's own pages, read-only, with the banner and the delegations panel.
        assertThat(h1(page)).hasText("Infrastructures");
        assertThat(page).hasURL(base + "accounts/" + account + "/infrastructures");
        Locator banner = page.getByRole(AriaRole.REGION, named("Acting as a user"));
        assertThat(banner).containsText("are acting as " + finance.email + ", read-only");
        assertThat(banner).containsText(REASON);
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("You are acting as this user, read-only");
        assertPanelShowsTheDepartments(page, ops, mktg, logistics, bi);
        Chromium.screenshot(page, "operator-acting-as-finance");

        // On an infrastructure's page too, and a change is refused while read-only.
        page.navigate(base + "accounts/" + account + "/infrastructures/" + erp);
        assertThat(h1(page)).containsText("ERP");
        assertPanelShowsTheDepartments(page, ops, mktg, logistics, bi);
        page.navigate(base + "settings/profile");
        assertThat(page.getByRole(AriaRole.COMPLEMENTARY)).containsText("Delegations of " + ACCOUNT_NAME);

        // Stop, from the banner: back in the console, on finance's page.
        page.getByRole(AriaRole.REGION, named("Acting as a user"))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Stop acting as " + finance.email))
                .click();
        assertThat(h1(page)).hasText(finance.email);
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("You stopped acting as " + finance.email);
        assertThat(page.getByRole(AriaRole.REGION, named("Acting as a user"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.COMPLEMENTARY)).hasCount(0);
        assertEquals(404, page.navigate(base + "accounts/" + account + "/infrastructures").status());

        // finance has the mail, and both names on each entry of their security log and the account's log.
        Mail mail = mailbox.single(finance.email);
        assertEquals("The portal's support staff are acting as you", mail.getSubject());
        assertTrue(mail.getText().contains(REASON) && mail.getText().contains(lead.user().email), mail.getText());
        Page financePage = chromium.newPage();
        financePage.setDefaultTimeout(45_000);
        financePage.navigate(base + "login");
        financePage.getByLabel("Email").fill(finance.email);
        financePage.getByLabel("Password").fill(Users.PASSWORD);
        financePage.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        assertThat(financePage).not().hasURL(SIGN_IN_PAGES);
        financePage.navigate(base + "settings/security-log");
        Locator log = financePage.getByRole(AriaRole.TABLE, named("Security events, newest first"));
        for (String action : new String[] { "Support started acting as the user", "Support stopped acting as the user" }) {
            Locator entry = row(log, action);
            assertThat(entry).hasCount(1);
            assertThat(entry).containsText(lead.user().email + " as " + finance.email);
        }
        assertThat(row(log, "Support started acting as the user")).containsText(REASON);
        Chromium.screenshot(financePage, "operator-finance-security-log");
        financePage.navigate(base + "accounts/" + account + "/audit");
        Locator events = financePage.getByRole(AriaRole.TABLE, named("Audit events"));
        Locator started = row(events, "Support started acting as the user");
        assertThat(started.getByRole(AriaRole.CELL).nth(1)).containsText(lead.user().email);
        assertThat(started.getByRole(AriaRole.CELL).nth(1)).containsText("portal support");
        assertThat(started.getByRole(AriaRole.CELL).nth(2)).hasText(finance.email);
        assertEquals(2, QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("onBehalfOfId = ?1"
                + " and userId = ?2 and byOperator = true and action like 'ACTING_AS_USER_%'", finance.id,
                lead.user().id)));
    }

    private static void assertPanelShowsTheDepartments(Page page, User ops, User mktg, User logistics, User bi) {
        Locator panel = page.getByRole(AriaRole.COMPLEMENTARY);
        assertThat(panel.getByRole(AriaRole.HEADING)).hasText("Delegations of " + ACCOUNT_NAME);
        Locator table = panel.getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions()
                .setName("Every delegation of " + ACCOUNT_NAME));
        assertThat(table.locator("tbody tr")).hasCount(5);
        assertThat(row(table, ops.email)).containsText("Account-wide");
        assertThat(row(table, mktg.email)).containsText("Web");
        assertThat(row(table, logistics.email)).containsText("ERP");
        assertThat(row(table, bi.email)).hasCount(2);
    }

    private static void assertDelegation(Page page, User person, String where, String role) {
        Locator line = person(page, person).getByRole(AriaRole.ROW).filter(new Locator.FilterOptions()
                .setHas(page.getByRole(AriaRole.CELL, named(where))));
        assertThat(line).hasCount(1);
        assertThat(line).containsText(role);
        assertThat(line).containsText("Accepted");
    }

    private static Locator person(Page page, User person) {
        return page.getByRole(AriaRole.GROUP, named(person.email + " " + person.displayName));
    }

    private static void givenByOps(Long grantId, User ops) {
        QuarkusTransaction.requiringNew().run(() -> Grant.update("invitedBy.id = ?1 where id = ?2", ops.id, grantId));
    }

    private static Locator row(Locator table, String text) {
        return table.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(text));
    }

    private static Locator h1(Page page) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }
}
