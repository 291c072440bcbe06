package io.dap.portal.twofactor;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Grants;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R19 in a real browser: ops turns on two-factor sign-in with an authenticator (this test computes
 * the codes from the key shown on the page), signs out and back in with a code; finance then
 * requires it of everyone they share with, and mktg, who has none, sees only the requirement in
 * finance's account until enrolling.
 */
@QuarkusTest
class TwoFactorStoryBrowserTest {

    /** Sign-in checks a bcrypt hash; the first one in a cold, busy JVM can outlast the default 15 s. */
    private static final Locator.ClickOptions SLOW = new Locator.ClickOptions().setTimeout(45_000);

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void shutDown() {
        chromium.close();
    }

    @Test
    void opsEnrolsAndSignsInWithACodeThenFinanceRequiresItAndMktgIsLockedOutUntilEnrolling() {
        User finance = users.active(Users.uniqueEmail("finance"), "Fiona Finance");
        User ops = users.active(Users.uniqueEmail("ops"), "Oscar Ops");
        User mktg = users.active(Users.uniqueEmail("mktg"), "Mia Marketing");
        Long account = accounts.accountOf(finance);
        grants.direct(account, ops, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        Infrastructure web = accounts.infrastructure(account, ops, "Web");
        grants.directOnInfrastructure(web.id, mktg, Role.INFRASTRUCTURE_ADMINISTRATOR);
        String financeAccount = base + "accounts/" + account;

        // ops turns on two-factor sign-in.
        Page opsPage = signIn(ops.email);
        opsPage.navigate(base + "settings/profile");
        opsPage.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Settings"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Two-factor")).click();
        byte[] opsSecret = enrol(opsPage, "two-factor-setup");
        Chromium.screenshot(opsPage, "two-factor-recovery-codes");
        opsPage.getByRole(AriaRole.LINK, named("I have saved them")).click();
        assertThat(opsPage.locator("main")).containsText("10 unused recovery codes left");

        // ops signs out, and signing in now takes the password, then a code from the app.
        opsPage.locator("details.user-menu summary").click();
        opsPage.getByRole(AriaRole.BUTTON, named("Sign out")).click();
        assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("You have signed out");
        opsPage.getByLabel("Email").fill(ops.email);
        opsPage.getByLabel("Password").fill(Users.PASSWORD);
        opsPage.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        assertThat(h1(opsPage)).hasText("Enter your code");
        Chromium.screenshot(opsPage, "two-factor-code");
        // The code enrolment used is spent; the app's next one is accepted (one step of drift).
        opsPage.getByLabel("Code", new Page.GetByLabelOptions().setExact(true)).fill(TwoFactorCodes.nextCode(opsSecret, Instant.now()));
        opsPage.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        assertThat(h1(opsPage)).hasText("Dashboard");
        opsPage.navigate(financeAccount + "/infrastructures");
        assertThat(opsPage.locator("main")).containsText("Web");

        // finance requires two-factor sign-in of everyone they share with, and sees who has it.
        Page financePage = signIn(finance.email);
        financePage.navigate(financeAccount + "/sharing");
        Locator panel = financePage.getByRole(AriaRole.REGION, named("Two-factor sign-in"));
        assertThat(row(panel, ops.email)).containsText("Yes");
        assertThat(row(panel, mktg.email)).containsText("No");
        panel.getByLabel("Require two-factor sign-in for people I share with").check();
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(financePage.getByRole(AriaRole.STATUS)).containsText("Two-factor sign-in is now required");
        assertThat(financePage.getByLabel("Require two-factor sign-in for people I share with")).isChecked();

        // mktg, without it, gets only the requirement in finance's account; ops keeps working.
        Page mktgPage = signIn(mktg.email);
        assertEquals(403, mktgPage.navigate(financeAccount + "/infrastructures/" + web.id).status());
        assertThat(h1(mktgPage)).hasText("Two-factor sign-in required");
        assertThat(mktgPage.locator("main")).containsText("its owner asks it of everyone they share it with");
        assertThat(mktgPage.locator("main")).not().containsText("Web");
        Chromium.screenshot(mktgPage, "two-factor-required");
        opsPage.reload();
        assertThat(opsPage.locator("main")).containsText("Web");

        // mktg enrols from the requirement page, and is back in.
        mktgPage.getByRole(AriaRole.LINK, named("Set up two-factor sign-in")).click();
        enrol(mktgPage, null);
        mktgPage.navigate(financeAccount + "/infrastructures/" + web.id);
        assertThat(h1(mktgPage)).containsText("Web");
        financePage.reload();
        assertThat(row(financePage.getByRole(AriaRole.REGION, named("Two-factor sign-in")), mktg.email))
                .containsText("Yes");
    }

    /** Settings › Two-factor from "off" to the recovery codes, reading the key as a person would type it. */
    private static byte[] enrol(Page page, String screenshot) {
        page.getByRole(AriaRole.BUTTON, named("Set up two-factor sign-in")).click();
        assertThat(page.getByRole(AriaRole.IMG, named("QR code to scan with your authenticator app"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, named("open it in an authenticator app")))
                .hasAttribute("href", Pattern.compile("^otpauth://totp/.*secret=[A-Z2-7]{32}&.*"));
        if (screenshot != null) {
            Chromium.screenshot(page, screenshot);
        }
        byte[] secret = Base32.decode(page.locator("code.secret").textContent());
        Locator form = page.getByRole(AriaRole.FORM, named("Confirm two-factor sign-in"));
        form.getByLabel("Six-digit code from your app").fill(TwoFactorCodes.code(secret, Instant.now()));
        form.getByLabel("Your password").fill(Users.PASSWORD);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Turn on two-factor sign-in")).click(SLOW);
        assertThat(page.getByRole(AriaRole.HEADING, named("Your recovery codes"))).isVisible();
        assertThat(page.getByRole(AriaRole.LIST, named("Recovery codes")).getByRole(AriaRole.LISTITEM)).hasCount(10);
        return secret;
    }

    private Page signIn(String email) {
        Page page = chromium.newPage();
        page.navigate(base + "login");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SLOW);
        assertThat(h1(page)).hasText("Dashboard");
        return page;
    }

    private static Locator row(Locator panel, String email) {
        return panel.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(email));
    }

    private static Locator h1(Page page) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }
}
