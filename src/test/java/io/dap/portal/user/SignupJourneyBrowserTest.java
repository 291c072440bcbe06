package io.dap.portal.user;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.support.Chromium;
import io.dap.portal.support.Mailbox;
import io.dap.portal.support.Users;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SignupJourneyBrowserTest {

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

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

    @Test
    void aNewcomerSignsUpActivatesFromTheMailSignsInAndSignsOut() {
        String email = Users.uniqueEmail("browser");
        String password = "a browser passphrase";
        Page page = chromium.newPage();

        page.navigate(base + "signup");
        page.getByLabel("Email").fill(email);
        page.getByLabel("Your name").fill("Brow Ser");
        assertThat(page.getByLabel("Password")).hasCount(0);
        Chromium.screenshot(page, "signup-form");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create account")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Check your inbox");

        String link = Mailbox.linkPath(mailbox.single(email), "/activate/");
        page.navigate(base + link.substring(1));
        assertThat(page.locator("main")).containsText(email);
        // The link proved the address: the password is chosen here, and the newcomer is in right after.
        assertThat(page.getByLabel("Your name")).hasValue("Brow Ser");
        page.getByLabel("Choose a password").fill(password);
        Chromium.screenshot(page, "activation-form");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Activate my account")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Your account is active");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Infrastructures");
        assertThat(page.locator("details.user-menu summary")).containsText("Brow Ser");
        Chromium.screenshot(page, "dashboard");

        page.locator("details.user-menu summary").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("You have signed out");

        page.navigate(base + "settings/profile");
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?next=%2Fsettings%2Fprofile$"));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Settings");
        assertTrue(Files.exists(Path.of("target", "screenshots", "dashboard.png")));
    }

    @Test
    void theSignupFormIsUsableWithTheKeyboardAlone() {
        Page page = chromium.newPage();
        page.navigate(base + "signup");
        page.keyboard().press("Tab");
        assertThat(page.locator(":focus")).hasText("Skip to main content");
        page.keyboard().press("Enter");
        page.getByLabel("Email").focus();
        page.keyboard().type("not-an-email");
        page.keyboard().press("Tab");
        page.keyboard().type("Keyboard User");
        page.keyboard().press("Enter");
        // The server's messages sit next to the fields they concern, and the values come back.
        assertThat(page.locator("#f-email-error")).containsText("like name@example.com");
        assertThat(page.getByLabel("Email")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByLabel("Your name")).hasValue("Keyboard User");
        Chromium.screenshot(page, "signup-errors");
    }
}
