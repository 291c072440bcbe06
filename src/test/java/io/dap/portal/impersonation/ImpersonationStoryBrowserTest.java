package io.dap.portal.impersonation;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.mailer.Mail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 6 in a real browser: finance names and colours their account; ops, its Administrator,
 * switches into it (the header shows finance's name and colour), acts as finance to replace the
 * card, and stops; finance is mailed and reads both users on every audit entry (R10, R12, R13).
 */
@QuarkusTest
class ImpersonationStoryBrowserTest {

    /** Sign-in checks a bcrypt hash; the first one in a cold, busy JVM can outlast the default 15 s. */
    private static final Locator.ClickOptions SIGN_IN = new Locator.ClickOptions().setTimeout(45_000);

    /** The banner's time format (TemplateExtensions.utc). */
    private static final DateTimeFormatter UTC_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private static final String ACCOUNT_NAME = "Northwind Treasury";
    private static final String REASON = "The Visa card expired and the November invoice is due";

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
    void opsSwitchesToFinanceActsAsTheOwnerToReplaceTheCardStopsAndFinanceSeesTheMailAndTheAudit() {
        User finance = users.active(Users.uniqueEmail("finance"), "Fiona Finance");
        User ops = users.active(Users.uniqueEmail("ops"), "Oscar Ops");
        Long financeAccount = accounts.accountOf(finance);
        accounts.makeBillable(financeAccount);
        grants.direct(financeAccount, ops, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        String account = base + "accounts/" + financeAccount;

        // finance gives the account a name and a colour in Settings › Account.
        Page financePage = signIn(finance.email);
        financePage.navigate(base + "settings/account");
        financePage.getByLabel("Account name").fill(ACCOUNT_NAME);
        financePage.getByRole(AriaRole.RADIO, named("Purple")).check();
        financePage.getByRole(AriaRole.BUTTON, named("Save")).click();
        assertThat(financePage.getByRole(AriaRole.STATUS)).containsText("Account saved");
        assertEquals("#7e22ce", colourOf(financeAccount));

        // ops's own pages carry no acting banner; an Administrator is refused finance's billing (R3, R15).
        Page opsPage = signIn(ops.email);
        assertThat(actingBanner(opsPage)).hasCount(0);
        assertEquals(403, status(opsPage, account + "/billing"));
        opsPage.navigate(base.toString());
        assertThat(h1(opsPage)).hasText("Dashboard");
        assertThat(actingBanner(opsPage)).hasCount(0);

        // ops switches to finance's account from the header menu (R12).
        opsPage.locator("details.account-switch summary").click();
        Pattern financeChoice = Pattern.compile("^Fiona Finance " + literal(finance.email) + " · Administrator$");
        opsPage.locator("details.account-switch")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(financeChoice)).click();
        assertThat(opsPage).hasURL(account + "/infrastructures");
        Locator acting = actingBanner(opsPage);
        assertThat(acting).isVisible();
        assertThat(acting).containsText("You are acting in " + ACCOUNT_NAME + ", the account of Fiona Finance ("
                + finance.email + "), as Administrator.");
        assertThat(acting).hasClass(Pattern.compile("(^|\\s)colour-purple(\\s|$)"));
        assertThat(impersonationBanner(opsPage)).hasCount(0);
        Locator mainNav = opsPage.getByRole(AriaRole.NAVIGATION, named("Main"));
        assertThat(mainNav.getByRole(AriaRole.LINK, within("Billing"))).hasCount(0);

        // ops starts acting as finance: a reason and a fresh password (R10).
        mainNav.getByRole(AriaRole.LINK, within("Billing (act as owner)")).click();
        assertThat(opsPage).hasURL(account + "/impersonation");
        assertThat(h1(opsPage)).hasText("Act as the owner for billing");
        Locator start = opsPage.getByRole(AriaRole.FORM, named("Act as the owner"));
        start.getByLabel("Reason (the owner reads it)").fill(REASON);
        start.getByLabel("Your password").fill(Users.PASSWORD);
        Instant before = Instant.now();
        start.getByRole(AriaRole.BUTTON, within("Act as " + finance.email)).click();
        assertThat(opsPage).hasURL(account + "/billing");
        assertThat(h1(opsPage)).hasText("Billing");
        assertThat(opsPage.getByRole(AriaRole.STATUS))
                .containsText("You are now acting as " + finance.email + " for billing");

        Impersonation started = impersonationBy(ops);
        assertNotNull(started, "no impersonation row for ops");
        assertEquals(financeAccount, QuarkusTransaction.requiringNew()
                .call(() -> Impersonation.<Impersonation>findById(started.id).account.id));
        assertTrue(!started.expiresAt.isAfter(started.startedAt.plus(Duration.ofHours(1))), "longer than 1 hour");
        assertTrue(started.expiresAt.isAfter(before.plus(Duration.ofMinutes(59))), "ends too soon: " + started.expiresAt);
        Locator banner = impersonationBanner(opsPage);
        assertThat(banner).containsText("You are acting as " + finance.email + " — " + REASON + " — ends at "
                + UTC_MINUTES.format(started.expiresAt));
        assertThat(banner.locator("time")).hasAttribute("datetime", started.expiresAt.toString());
        assertThat(banner.getByRole(AriaRole.BUTTON, within("Stop acting as " + finance.email))).isVisible();
        assertThat(banner.getByRole(AriaRole.LINK, within("Billing"))).hasAttribute("href",
                "/accounts/" + financeAccount + "/billing");
        assertThat(acting).containsText(ACCOUNT_NAME);
        Chromium.screenshot(opsPage, "impersonation-banner");

        // ops replaces the card.
        assertThat(opsPage.locator("main")).containsText("Visa •••• 4242");
        Locator card = opsPage.getByRole(AriaRole.FORM, named("Payment method"));
        card.getByLabel("Name on the card").fill("Northwind Treasury Ltd");
        card.getByLabel("Card number").fill("5555 5555 5555 4444");
        card.getByLabel("Expiry month").fill("8");
        card.getByLabel("Expiry year").fill("2031");
        card.getByLabel("Security code (CVC)").fill("123");
        card.getByRole(AriaRole.BUTTON, within("Save payment method")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("The payment method was saved");
        assertThat(opsPage.locator("main")).containsText("Mastercard •••• 4444, expires");
        assertThat(opsPage.locator("main")).containsText("Northwind Treasury Ltd");
        assertThat(opsPage.locator("main")).not().containsText("•••• 4242");
        assertEquals("4444", QuarkusTransaction.requiringNew()
                .call(() -> Account.<Account>findById(financeAccount).cardLast4));
        assertThat(impersonationBanner(opsPage)).isVisible();

        // The banner is on every page, and Settings stay shut while ops acts as finance (R10).
        opsPage.navigate(base + "settings/account");
        assertThat(impersonationBanner(opsPage)).containsText("You are acting as " + finance.email);
        opsPage.getByLabel("Account name").fill("Oscar's renamed account");
        Page.WaitForResponseOptions any = new Page.WaitForResponseOptions();
        int refused = opsPage.waitForResponse(r -> r.url().endsWith("/settings/account")
                && "POST".equals(r.request().method()), any,
                () -> opsPage.getByRole(AriaRole.BUTTON, named("Save")).click()).status();
        assertEquals(403, refused);
        assertThat(opsPage.locator("body")).containsText("Settings cannot be changed while you do");
        assertEquals("Oscar Ops", QuarkusTransaction.requiringNew()
                .call(() -> Account.<Account>findById(accounts.accountOf(ops)).displayName));

        // finance sees who is acting as them, and why, on the sharing page.
        financePage.navigate(account + "/sharing");
        Locator now = financePage.getByRole(AriaRole.REGION, named("Acting as you now"));
        assertThat(now).containsText("Oscar Ops (" + ops.email + ")");
        assertThat(now).containsText("Reason: “" + REASON + "”");
        assertThat(now.getByRole(AriaRole.BUTTON, within("End it now for " + ops.email))).isVisible();

        // ops stops from the banner: it is gone, and billing is refused again.
        opsPage.navigate(account + "/billing");
        impersonationBanner(opsPage).getByRole(AriaRole.BUTTON, within("Stop acting as " + finance.email)).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("You stopped acting as " + finance.email + ".");
        assertThat(opsPage).hasURL(account + "/infrastructures");
        assertThat(impersonationBanner(opsPage)).hasCount(0);
        assertThat(actingBanner(opsPage)).containsText(ACCOUNT_NAME);
        assertThat(mainNav.getByRole(AriaRole.LINK, within("Billing (act as owner)"))).isVisible();
        assertThat(mainNav.getByRole(AriaRole.LINK, within("Billing"))).hasCount(0);
        assertEquals(403, status(opsPage, account + "/billing"));
        assertEquals(Impersonation.EndReason.STOPPED, impersonationBy(ops).endReason);
        financePage.reload();
        assertThat(financePage.getByRole(AriaRole.REGION, named("Acting as you now"))).hasCount(0);

        // finance was mailed: who, why and until when.
        Mail mail = mailbox.single(finance.email);
        assertEquals("Oscar Ops is acting as you for billing", mail.getSubject());
        assertTrue(mail.getText().contains("Oscar Ops (" + ops.email + ")"), mail.getText());
        assertTrue(mail.getText().contains(REASON), mail.getText());
        assertTrue(mail.getText().contains("/accounts/" + financeAccount + "/sharing"), mail.getText());

        // finance's audit log: each of ops's steps under ops's name and finance's (R13).
        financePage.navigate(account + "/audit");
        Locator events = financePage.getByRole(AriaRole.TABLE, named("Audit events"));
        assertActedAs(row(events, "Started impersonating the owner"), ops.email, finance.email, REASON);
        assertActedAs(row(events, "Changed billing information"), ops.email, finance.email,
                "payment method: Mastercard ending 4444");
        assertActedAs(row(events, "Impersonation ended"), ops.email, finance.email, "stopped by the delegate");
        Locator refusal = row(events, "(while impersonating)");
        assertThat(refusal).hasCount(1);
        assertThat(refusal.getByRole(AriaRole.CELL).nth(1)).hasText(ops.email);
        // The card number and the CVC never reach the log.
        assertThat(events).not().containsText("5555 5555");
        assertThat(events).not().containsText("5555555555554444");
        Chromium.screenshot(financePage, "impersonation-audit");
    }

    private static void assertActedAs(Locator row, String user, String impersonating, String detail) {
        assertThat(row).hasCount(1);
        Locator cells = row.getByRole(AriaRole.CELL);
        assertThat(cells.nth(1)).hasText(user);
        assertThat(cells.nth(2)).hasText(impersonating);
        assertThat(cells.nth(3)).containsText(detail);
        assertThat(cells.nth(5)).containsText("success");
    }

    private Page signIn(String email) {
        Page page = chromium.newPage();
        page.navigate(base + "login");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SIGN_IN);
        assertThat(h1(page)).hasText("Dashboard");
        return page;
    }

    private static Impersonation impersonationBy(User impersonator) {
        return QuarkusTransaction.requiringNew().call(() -> Impersonation.<Impersonation>find(
                "impersonator.id = ?1 order by id desc", impersonator.id).firstResult());
    }

    private static String colourOf(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(accountId).colour);
    }

    /** Playwright hands patterns to JavaScript, which knows no \\Q and \\E: escape by hand. */
    private static String literal(String text) {
        return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
    }

    private static Locator actingBanner(Page page) {
        return page.getByRole(AriaRole.REGION, named("Acting account"));
    }

    private static Locator impersonationBanner(Page page) {
        return page.getByRole(AriaRole.REGION, named("Impersonation"));
    }

    private static Locator row(Locator table, String text) {
        return table.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(text));
    }

    private static int status(Page page, String url) {
        return page.navigate(url).status();
    }

    private static Locator h1(Page page) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private static Locator.GetByRoleOptions within(String name) {
        return new Locator.GetByRoleOptions().setName(name).setExact(true);
    }
}
