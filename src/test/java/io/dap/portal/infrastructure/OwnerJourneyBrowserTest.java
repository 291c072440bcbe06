package io.dap.portal.infrastructure;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.account.Drive;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 3: an owner's first infrastructure, from sign-in to a deployed drive carrying their SSH key. */
@QuarkusTest
class OwnerJourneyBrowserTest {

    /** Sign-in checks a bcrypt hash; the first one in a cold, busy JVM can outlast the default 15 s. */
    private static final Locator.ClickOptions SIGN_IN = new Locator.ClickOptions().setTimeout(45_000);

    private static Chromium chromium;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void shutDown() {
        chromium.close();
    }

    @Test
    void anOwnerAddsAKeyCreatesAnInfrastructureIsRefusedWithoutBillingAddsACardAndDeploys() throws IOException {
        User owner = users.active(Users.uniqueEmail("owner"), "Olga Owner");
        Long accountId = accounts.accountOf(owner);
        String fingerprint = fixtureFingerprint("ed25519");
        Page page = chromium.newPage();

        page.navigate(base + "login");
        page.getByLabel("Email").fill(owner.email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click(SIGN_IN);
        assertThat(h1(page)).hasText("Dashboard");
        page.getByRole(AriaRole.LINK, named("My infrastructures")).click();
        assertThat(page).hasURL(Pattern.compile(".*/accounts/" + accountId + "/infrastructures$"));
        assertThat(h1(page)).hasText("Infrastructures");
        assertThat(page.getByRole(AriaRole.HEADING, named("No infrastructures yet"))).isVisible();

        // The key goes in through the real settings page.
        page.getByRole(AriaRole.NAVIGATION, named("Main")).getByRole(AriaRole.LINK, within("Settings")).click();
        page.getByRole(AriaRole.NAVIGATION, named("Settings")).getByRole(AriaRole.LINK, within("SSH keys")).click();
        page.getByLabel("Public key").fill(Accounts.fixtureKey("ed25519"));
        page.getByLabel("Label", new Page.GetByLabelOptions().setExact(true)).fill("laptop");
        page.getByRole(AriaRole.BUTTON, named("Add key")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("The SSH key laptop was added");
        assertThat(page.getByRole(AriaRole.TABLE, named("Your SSH keys"))).containsText(fingerprint);

        page.getByRole(AriaRole.LINK, named("My infrastructures")).click();
        page.getByRole(AriaRole.LINK, named("New infrastructure")).click();
        assertThat(page.locator("main")).containsText("It belongs to the account of Olga Owner");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Web");
        page.getByLabel("Department or cost centre").fill("Marketing");
        page.getByRole(AriaRole.BUTTON, named("Create")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Infrastructure Web created");
        assertThat(h1(page)).containsText("Web");
        String editorUrl = page.url();

        assertThat(page.getByLabel("Size in GB")).hasAccessibleDescription("From 1 to 16384 GB.");
        page.getByLabel("Drive name").fill("web-1");
        page.getByLabel("Size in GB").fill("20");
        page.getByRole(AriaRole.BUTTON, named("Add drive")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Drive web-1 added");
        Locator drives = page.getByRole(AriaRole.TABLE, named("Drives of Web"));
        assertThat(drives.getByRole(AriaRole.ROW, within(Pattern.compile("web-1")))).containsText("pending");

        // R7: without a payment method the deploy is refused on the server, with the owner named.
        String refusal = owner.email + " must add billing information before this infrastructure can be deployed";
        page.getByRole(AriaRole.BUTTON, named("Deploy")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText(refusal);
        assertThat(drives.getByRole(AriaRole.ROW, within(Pattern.compile("web-1")))).containsText("on the next deploy");
        Chromium.screenshot(page, "owner-editor-before-deploy");
        assertEquals(Drive.Status.PENDING, driveStatus(accountId));

        page.getByRole(AriaRole.NAVIGATION, named("Main")).getByRole(AriaRole.LINK, within("Billing")).click();
        assertThat(page).hasURL(Pattern.compile(".*/accounts/" + accountId + "/billing$"));
        assertThat(page.locator("main")).containsText("Not billable");
        YearMonth expiry = YearMonth.now(ZoneOffset.UTC).plusYears(3);
        page.getByLabel("Name on the card").fill("Olga Owner");
        page.getByLabel("Card number").fill("4242 4242 4242 4242");
        page.getByLabel("Expiry month").fill(String.valueOf(expiry.getMonthValue()));
        page.getByLabel("Expiry year").fill(String.valueOf(expiry.getYear()));
        page.getByLabel("Security code (CVC)").fill("123");
        page.getByRole(AriaRole.BUTTON, named("Save payment method")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("The payment method was saved");
        assertThat(page.locator("main"))
                .containsText(String.format("Visa •••• 4242, expires %02d/%d", expiry.getMonthValue(), expiry.getYear()));
        assertThat(page.locator(".badge--active")).hasText("Billable");
        // The full number and the security code are never echoed back.
        assertThat(page.getByLabel("Card number")).hasValue("");
        assertThat(page.getByLabel("Security code (CVC)")).hasValue("");
        Chromium.screenshot(page, "owner-billing");

        page.getByRole(AriaRole.NAVIGATION, named("Main")).getByRole(AriaRole.LINK, within("Infrastructures")).click();
        page.getByRole(AriaRole.LINK, named("Web")).click();
        assertEquals(editorUrl, page.url());
        assertThat(page.getByText(refusal)).hasCount(0);
        page.getByRole(AriaRole.BUTTON, named("Deploy")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Deployed: 1 drive provisioned.");
        assertThat(h1(page)).containsText("deployed");
        assertEquals(Drive.Status.RUNNING, driveStatus(accountId));

        page.getByRole(AriaRole.LINK, named("web-1")).click();
        assertThat(h1(page)).hasText("Drive web-1");
        Locator keys = page.getByRole(AriaRole.TABLE, named("SSH keys on drive web-1"));
        assertThat(keys.getByRole(AriaRole.ROW)).hasCount(2);
        assertThat(keys).containsText(fingerprint);
        assertThat(keys).containsText("laptop");
        assertThat(keys).containsText(owner.email);
        Chromium.screenshot(page, "owner-drive");

        page.getByRole(AriaRole.NAVIGATION, named("Main")).getByRole(AriaRole.LINK, within("Infrastructures")).click();
        Locator row = page.getByRole(AriaRole.ROW, named(Pattern.compile("^Web")));
        assertThat(row).containsText("deployed");
        assertThat(row).containsText("Olga Owner");
        Chromium.screenshot(page, "owner-infrastructures");
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

    private static Locator.GetByRoleOptions within(Pattern name) {
        return new Locator.GetByRoleOptions().setName(name);
    }

    /** The SHA256 fingerprint as ssh-keygen -l printed it for the fixture key. */
    private static String fixtureFingerprint(String name) throws IOException {
        String path = "/sshkeys/" + name + ".pub.fingerprint";
        try (InputStream in = OwnerJourneyBrowserTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(" ")[1];
        }
    }

    private static Drive.Status driveStatus(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>find(
                "infrastructure.account.id = ?1 and label = ?2", accountId, "web-1").singleResult().status);
    }
}
