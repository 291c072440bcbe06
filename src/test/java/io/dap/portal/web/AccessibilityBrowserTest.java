package io.dap.portal.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.access.Role;
import io.dap.portal.account.Account;
import io.dap.portal.billing.Invoice;
import io.dap.portal.billing.InvoiceService;
import io.dap.portal.access.Grant;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Axe;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Keyboard;
import io.dap.portal.support.Reflow;
import io.dap.portal.support.Users;
import io.dap.portal.twofactor.TwoFactorRequirement;
import io.dap.portal.usage.UsageFixtures;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every page state of the stories, walked twice: axe-core (WCAG 2.1 A and AA) at a desktop and at a
 * phone's width finds no serious or critical violation, and at 320 CSS pixels no page scrolls
 * sideways (WCAG 1.4.10). Signed out, owner, account and infrastructure delegates, an Administrator
 * acting as the owner, empty states, forms sent with errors and the error pages (403, 404, 429, 503).
 * Each test lists every failing state before it fails, not only the first.
 */
@QuarkusTest
class AccessibilityBrowserTest {

    private static final Pattern DASHBOARD = Pattern.compile("^Dashboard$");

    private static Chromium chromium;
    private static World world;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    Grants grants;

    @Inject
    InvoiceService invoices;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void shutDown() {
        world = null;
        chromium.close();
    }

    /**
     * One visit per state: the full axe run at a desktop's width, then the layout rules again at a
     * phone's (375 px, where more tables scroll), then the document's width at 320 px.
     */
    @Test
    void everyPageStateIsCleanForAxeAtDesktopAndPhoneWidthAndReflowsAt320Pixels() throws Exception {
        Map<String, List<String>> failures = new LinkedHashMap<>();
        List<State> states = states();
        long axeNanos = 0;
        for (State state : states) {
            Page page = state.person().page(1280);
            if (!reached(state, page, failures)) {
                continue;
            }
            long started = System.nanoTime();
            List<String> found = new ArrayList<>(Axe.findings(page));
            page.setViewportSize(375, 800);
            Axe.layoutFindings(page).stream().filter(f -> !found.contains(f)).map(f -> f + " [at 375 px]")
                    .forEach(found::add);
            axeNanos += System.nanoTime() - started;
            page.setViewportSize(Reflow.NARROW, 800);
            int width = Reflow.documentWidth(page);
            if (width > Reflow.NARROW) {
                found.add("  reflow: the document is " + width + " px wide at " + Reflow.NARROW + " px; sticking out: "
                        + Reflow.overflowing(page));
            }
            if (!found.isEmpty()) {
                failures.put(state.name() + " (" + page.url() + ")", found);
            }
        }
        System.out.printf("axe-core and reflow on %d page states; axe took %d ms%n", states.size(), axeNanos / 1_000_000);
        assertTrue(states.size() >= 70, "page states walked: " + states.size());
        assertTrue(failures.isEmpty(),
                () -> report("axe-core (serious or critical) or reflow at " + Reflow.NARROW + " px", failures));
    }

    /**
     * Without a mouse: signing in, answering an invitation on the dashboard, the switch-account menu
     * (Escape closes it and gives the focus back), switching, a failed submit (focus on the error
     * summary, whose link leads to the field) and the revoke confirmation.
     */
    @Test
    void theKeyboardAloneAnswersAnInvitationSwitchesRecoversFromAnErrorAndRevokes() throws Exception {
        World w = world();
        String account = base + "accounts/" + w.account;
        User kim = users.active(Users.uniqueEmail("a11y-keyboard"), "Kim Keys");
        grants.invite(w.ownerBrowser, w.account, kim.email, Role.ACCOUNT_READ_ONLY, null);

        Page page = chromium.newPage();
        page.setDefaultTimeout(45_000);
        page.navigate(base + "login");
        Keyboard.tabTo(page, "input", "Email");
        page.keyboard().type(kim.email);
        Keyboard.tabTo(page, "input", "Password");
        page.keyboard().type(Users.PASSWORD);
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(DASHBOARD);

        Keyboard.tabTo(page, "button", "Accept");
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");

        Locator menu = page.locator("details.account-switch");
        Keyboard.tabTo(page, "summary", "Switch account");
        page.keyboard().press("Enter");
        assertThat(menu).hasAttribute("open", "");
        page.keyboard().press("Tab");
        assertTrue(Keyboard.focused(page).startsWith("a: "), "focus in the open menu: " + Keyboard.focused(page));
        page.keyboard().press("Escape");
        assertThat(menu).not().hasAttribute("open", "");
        assertTrue(Keyboard.focused(page).startsWith("summary: Switch account"), Keyboard.focused(page));
        page.keyboard().press("Enter");
        Keyboard.tabTo(page, "a", "Fiona Finance");
        page.keyboard().press("Enter");
        assertThat(page.locator(".acting-banner")).containsText("You are acting in Acme Corp");

        // The owner sends a form with an error: the focus lands on the summary, the title says so.
        Page owner = w.ownerPerson.page(1280);
        owner.navigate(account + "/sharing");
        assertThat(owner).not().hasTitle(Pattern.compile("^Error"));
        Keyboard.tabTo(owner, "textarea", "Email addresses");
        owner.keyboard().type("not an address");
        Keyboard.tabTo(owner, "button", "Invite");
        owner.keyboard().press("Enter");
        assertThat(owner.locator(".error-summary")).isFocused();
        assertThat(owner).hasTitle(Pattern.compile("^Error: "));
        owner.keyboard().press("Tab");
        assertTrue(Keyboard.focused(owner).startsWith("a: "), "the summary links to the field: " + Keyboard.focused(owner));
        owner.keyboard().press("Enter");
        assertThat(owner.locator("#f-email")).isFocused();
        assertThat(owner.locator("#f-email")).hasAttribute("aria-invalid", "true");

        // ...and revokes Kim through the confirmation page.
        owner.navigate(account + "/sharing");
        Keyboard.tabTo(owner, "summary", "Manage " + kim.email);
        owner.keyboard().press("Enter");
        Keyboard.tabTo(owner, "a", "Revoke");
        owner.keyboard().press("Enter");
        assertThat(owner.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Revoke " + kim.email + "?");
        Keyboard.tabTo(owner, "button", "Revoke access");
        owner.keyboard().press("Enter");
        assertThat(owner.getByRole(AriaRole.STATUS)).containsText("Access revoked");
        assertEquals(404, page.navigate(account + "/infrastructures").status());
        page.context().close();
    }

    /** Every step of the sharing story is a link, a form or a details element: JavaScript is not needed. */
    @Test
    void withoutJavaScriptAnInvitationIsSentAcceptedUsedToSwitchAndRevoked() throws Exception {
        World w = world();
        String account = base + "accounts/" + w.account;
        User jo = users.active(Users.uniqueEmail("a11y-noscript"), "Jo Noscript");
        Browser.NewContextOptions noScript = new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setJavaScriptEnabled(false);

        Page owner = chromium.newPage(noScript);
        owner.setDefaultTimeout(45_000);
        signIn(owner, w.owner);
        owner.navigate(account + "/sharing");
        owner.getByLabel("Email addresses").fill(jo.email);
        owner.getByRole(AriaRole.RADIO, named(Pattern.compile("^Read-only —"))).check();
        owner.getByRole(AriaRole.BUTTON, named("Invite")).click();
        assertThat(owner.getByRole(AriaRole.STATUS)).containsText("sent to " + jo.email);

        Page page = chromium.newPage(noScript);
        page.setDefaultTimeout(45_000);
        signIn(page, jo);
        page.getByRole(AriaRole.BUTTON, named(Pattern.compile("^Accept"))).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");
        page.locator("details.account-switch > summary").click();
        page.locator("details.account-switch").getByRole(AriaRole.LINK,
                new Locator.GetByRoleOptions().setName(Pattern.compile("^Fiona Finance")))
                .click();
        assertThat(page.locator(".acting-banner")).containsText("You are acting in Acme Corp");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).isVisible();

        // The Copy button needs its script: without it, it stays hidden (the token can still be selected).
        owner.navigate(base + "settings/api-tokens");
        owner.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("no-script-bot");
        owner.getByRole(AriaRole.BUTTON, named("Create token")).click();
        assertThat(owner.getByLabel("Your new token")).isVisible();
        assertThat(owner.locator("[data-copy]")).hasCount(1);
        assertThat(owner.locator("[data-copy]")).isHidden();

        owner.navigate(account + "/sharing");
        Locator row = owner.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(jo.email));
        row.getByText("Manage").click();
        row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Revoke…")).click();
        owner.getByRole(AriaRole.BUTTON, named("Revoke access")).click();
        assertThat(owner.getByRole(AriaRole.STATUS)).containsText("Access revoked");
        assertEquals(404, page.navigate(account + "/infrastructures").status());
        owner.context().close();
        page.context().close();
    }

    /** The header marks the page being shown, and only that one. */
    @Test
    void theCurrentHeaderLinkIsMarkedAndNoOther() throws Exception {
        World w = world();
        String account = base + "accounts/" + w.account;
        Page page = w.ownerPerson.page(1280);
        Locator nav = page.getByRole(AriaRole.NAVIGATION, named("Main"));
        page.navigate(account + "/usage");
        assertThat(nav.locator("[aria-current]")).hasCount(1);
        assertThat(nav.locator("a[aria-current=page]")).hasText("Usage");
        page.navigate(account + "/infrastructures/" + w.web);
        assertThat(nav.locator("[aria-current]")).hasCount(1);
        assertThat(nav.locator("a[aria-current=true]")).hasText("Infrastructures");
        page.navigate(base + "settings/password");
        assertThat(nav.locator("[aria-current]")).hasCount(1);
        assertThat(nav.locator("a[aria-current=true]")).hasText("Settings");
        page.navigate(base + "notifications");
        assertThat(nav.locator("[aria-current]")).hasCount(0);
    }

    /** The checks themselves can fail: the audit log's old markup and a page wider than the screen. */
    @Test
    void axeAndTheReflowCheckReportWhatTheyAreMeantToFind() {
        Page page = chromium.newPage(new Browser.NewContextOptions().setViewportSize(Reflow.NARROW, 800));
        String wideTable = "<table><tr>" + "<td>2026-11-30 12:00 UTC</td>".repeat(12) + "</tr></table>";
        page.setContent("<!doctype html><html lang=\"en\"><head><title>t</title></head><body><main>"
                + "<div style=\"overflow-x:auto\">" + wideTable + "</div></main></body></html>");
        List<String> found = Axe.findings(page);
        assertEquals(1, found.size(), String.join("\n", found));
        assertTrue(found.get(0).contains("scrollable-region-focusable (serious)"), found.get(0));
        assertEquals(Reflow.NARROW, Reflow.documentWidth(page));

        page.setContent("<!doctype html><html lang=\"en\"><head><title>t</title></head><body><main>"
                + "<div role=\"region\" aria-label=\"Events\" tabindex=\"0\" style=\"overflow-x:auto\">" + wideTable
                + "</div><div id=\"wide\" style=\"width:600px\">too wide</div></main></body></html>");
        assertEquals(List.of(), Axe.findings(page));
        assertTrue(Reflow.documentWidth(page) > Reflow.NARROW);
        assertTrue(Reflow.overflowing(page).stream().anyMatch(e -> e.startsWith("div#wide")), Reflow.overflowing(page)::toString);
        page.context().close();
    }

    /** Goes to the state; a state that cannot be reached is a failure of its own, and the walk goes on. */
    private static boolean reached(State state, Page page, Map<String, List<String>> failures) {
        try {
            state.reach().accept(page);
            return true;
        } catch (AssertionError | RuntimeException e) {
            failures.put(state.name(), List.of("  not reached: " + e.getMessage().lines().findFirst().orElse("")));
            return false;
        }
    }

    private static String report(String title, Map<String, List<String>> failures) {
        StringBuilder text = new StringBuilder(title).append(" in ").append(failures.size()).append(" page states:\n");
        failures.forEach((state, found) -> text.append(state).append('\n').append(String.join("\n", found)).append('\n'));
        return text.toString();
    }

    /** One page state: whose browser, and how to get there (a visit, or a form sent with errors). */
    record State(String name, Person person, Consumer<Page> reach) {
    }

    /** A person's browser, signed in once, resized for each walk. */
    final class Person {
        final User user;
        private Page page;

        Person(User user) {
            this.user = user;
        }

        Page page(int width) {
            if (page == null) {
                page = chromium.newPage(new Browser.NewContextOptions().setViewportSize(width, 900));
                page.setDefaultTimeout(45_000);
                if (user != null) {
                    signIn(page, user);
                }
            }
            page.setViewportSize(width, 900);
            return page;
        }
    }

    /** The people and data every state needs, made once for both walks. */
    final class World {
        User owner;
        Long account;
        Long web;
        Long erp;
        Long webDrive;
        Long invoice;
        Long opsGrant;
        Long mktgGrant;
        Long strictAccount;
        String newcomerInvitation;
        Person anonymous;
        Person ownerPerson;
        Person ops;
        Person mktg;
        Person actingAsOwner;
        Person nobody;
        Person throttled;
        io.dap.portal.support.Browser ownerBrowser;
    }

    private World world() throws Exception {
        if (world != null) {
            return world;
        }
        World w = new World();
        Instant now = Instant.now();
        w.owner = users.active(Users.uniqueEmail("a11y-owner"), "Fiona Finance");
        w.account = accounts.accountOf(w.owner);
        accounts.makeBillable(w.account);
        Long accountId = w.account;
        QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.findById(accountId);
            account.displayName = "Acme Corp";
            account.colour = "#0f766e";
            account.billingName = "Acme Corp — Finance department, accounts payable";
            account.billingAddress = "Building 7, Avenue des Arts 1234567890 (Tour Internationale de la Comptabilité)\n"
                    + "1000 Brussels\nBelgium";
        });
        w.web = UsageFixtures.infrastructure(w.account, w.owner, "Web", now.minus(Duration.ofDays(70)));
        UsageFixtures.department(w.web, "CC-410 Marketing and Communications");
        w.webDrive = UsageFixtures.drive(w.web, w.owner, "web-1", 50, now.minus(Duration.ofDays(70)), null);
        UsageFixtures.drive(w.web, w.owner, "assets-for-the-marketing-site-and-the-newsletter", 200,
                now.minus(Duration.ofDays(40)), null);
        w.erp = accounts.infrastructure(w.account, w.owner, "ERP").id;
        accounts.pendingDrive(w.erp, "erp-db", 500);
        accounts.pendingDrive(w.erp, "erp-logs", 20);
        invoices.issueDue(w.account);
        w.invoice = QuarkusTransaction.requiringNew().call(() -> Invoice.<Invoice>find("account.id = ?1 order by id desc",
                accountId).firstResult().id);

        User ops = users.active(Users.uniqueEmail("a11y-ops"), "Oscar Patel");
        User mktg = users.active(Users.uniqueEmail("a11y-mktg"), "Maya Lindqvist");
        User admin = users.active(Users.uniqueEmail("a11y-admin"), "Ada Brooks");
        User nobody = users.active(Users.uniqueEmail("a11y-nobody"), "Nora Newcomer");
        User strict = users.active(Users.uniqueEmail("a11y-strict"), "Stella Strict");
        io.dap.portal.support.Browser ownerBrowser = new io.dap.portal.support.Browser().signIn(w.owner.email,
                Users.PASSWORD);
        io.dap.portal.support.Browser opsBrowser = new io.dap.portal.support.Browser().signIn(ops.email, Users.PASSWORD);
        w.ownerBrowser = ownerBrowser;
        w.opsGrant = grants.share(ownerBrowser, w.account, opsBrowser, ops, Role.ACCOUNT_ADMINISTRATOR);
        grants.direct(w.account, admin, Role.ACCOUNT_ADMINISTRATOR, Grant.Status.ACCEPTED, null);
        w.mktgGrant = grants.directOnInfrastructure(w.web, mktg, Role.INFRASTRUCTURE_ADMINISTRATOR);
        String newcomer = Users.uniqueEmail("a11y-newcomer");
        grants.invite(ownerBrowser, w.account, newcomer, Role.ACCOUNT_READ_ONLY, null);
        w.newcomerInvitation = grants.invitationLink(newcomer);
        accounts.key(w.owner, "fiona-laptop", Accounts.fixtureKey("ed25519"));

        // An owner who requires a second factor of the people they share with; mktg has none.
        w.strictAccount = accounts.accountOf(strict);
        grants.direct(w.strictAccount, mktg, Role.ACCOUNT_READ_ONLY, Grant.Status.ACCEPTED, null);
        Long strictAccount = w.strictAccount;
        QuarkusTransaction.requiringNew().run(() -> {
            TwoFactorRequirement requirement = new TwoFactorRequirement();
            requirement.accountId = strictAccount;
            requirement.requiredAt = Instant.now();
            requirement.requiredBy = strict.id;
            requirement.persist();
        });
        // ops has an invitation waiting on the dashboard.
        io.dap.portal.support.Browser strictBrowser = new io.dap.portal.support.Browser().signIn(strict.email,
                Users.PASSWORD);
        grants.invite(strictBrowser, w.strictAccount, ops.email, Role.ACCOUNT_READ_ONLY, null);

        w.anonymous = new Person(null);
        w.ownerPerson = new Person(w.owner);
        w.ops = new Person(ops);
        w.mktg = new Person(mktg);
        w.actingAsOwner = new Person(admin);
        w.nobody = new Person(nobody);
        w.throttled = new Person(null);
        world = w;
        return w;
    }

    private List<State> states() throws Exception {
        World w = world();
        String account = base + "accounts/" + w.account;
        String web = account + "/infrastructures/" + w.web;
        String erp = account + "/infrastructures/" + w.erp;
        List<State> states = new ArrayList<>();

        // Signed out
        states.add(visit("landing", w.anonymous, base.toString()));
        states.add(visit("sign in", w.anonymous, base + "login"));
        states.add(new State("sign in, wrong password", w.anonymous, page -> {
            page.navigate(base + "login");
            page.getByLabel("Email").fill("nobody-" + System.nanoTime() + "@example.org");
            page.getByLabel("Password").fill("not the password at all");
            page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
            assertThat(page.locator(".flash--error")).isVisible();
        }));
        states.add(new State("sign in, throttled (429)", w.throttled, page -> {
            page.context().setExtraHTTPHeaders(Map.of("X-Forwarded-For", "192.0.2." + (System.nanoTime() % 200 + 20)));
            String email = Users.uniqueEmail("a11y-throttled");
            Response last = null;
            for (int i = 0; i < 7 && (last == null || last.status() != 429); i++) {
                page.navigate(base + "login");
                page.getByLabel("Email").fill(email);
                page.getByLabel("Password").fill("wrong password " + i);
                last = page.waitForResponse(r -> r.url().endsWith("/login") && r.request().method().equals("POST"),
                        () -> page.getByRole(AriaRole.BUTTON, named("Sign in")).click());
            }
            assertEquals(429, last.status());
        }));
        states.add(visit("sign up", w.anonymous, base + "signup"));
        states.add(new State("sign up with errors", w.anonymous, page -> {
            page.navigate(base + "signup");
            page.getByLabel("Email").fill("not-an-address");
            page.getByRole(AriaRole.BUTTON, named("Create account")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("forgot password", w.anonymous, base + "forgot-password"));
        states.add(visit("new activation link", w.anonymous, base + "activate"));
        states.add(visit("activation link not valid", w.anonymous, base + "activate/not-a-real-token", 404));
        states.add(visit("invitation, not valid", w.anonymous, base + "invitations/not-a-real-token", 404));
        states.add(visit("invitation to a newcomer (activate first)", w.anonymous,
                base + w.newcomerInvitation.substring(1)));

        // The owner
        Person owner = w.ownerPerson;
        states.add(visit("owner: dashboard", owner, base.toString()));
        states.add(visit("owner: infrastructures", owner, account + "/infrastructures"));
        states.add(visit("owner: no infrastructure matches", owner, account + "/infrastructures?q=zzz-nothing"));
        states.add(visit("owner: new infrastructure", owner, account + "/infrastructures/new"));
        states.add(new State("owner: new infrastructure with errors", owner, page -> {
            page.navigate(account + "/infrastructures/new");
            page.getByRole(AriaRole.BUTTON, named("Create")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("owner: deployed infrastructure", owner, web));
        states.add(new State("owner: draft infrastructure, a form per drive", owner, page -> {
            page.navigate(erp);
            assertThat(page.getByRole(AriaRole.FORM, named("Change drive erp-db").setIncludeHidden(true))).hasCount(1);
            assertThat(page.getByRole(AriaRole.FORM, named("Change drive erp-logs").setIncludeHidden(true))).hasCount(1);
        }));
        states.add(new State("owner: add a drive with errors", owner, page -> {
            page.navigate(erp);
            page.locator("#f-sizeGb").fill("0");
            page.getByRole(AriaRole.BUTTON, named("Add drive")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("owner: drive", owner, web + "/drives/" + w.webDrive));
        states.add(visit("owner: infrastructure properties", owner, web + "/properties"));
        states.add(visit("owner: delete confirmation", owner, web + "/delete"));
        states.add(visit("owner: infrastructure sharing", owner, web + "/sharing"));
        states.add(visit("owner: infrastructure revoke confirmation", owner,
                web + "/sharing/" + w.mktgGrant + "/revoke"));
        states.add(visit("owner: account sharing", owner, account + "/sharing"));
        states.add(new State("owner: invite with errors", owner, page -> {
            page.navigate(account + "/sharing");
            page.getByLabel("Email addresses").fill("not an address");
            page.getByRole(AriaRole.BUTTON, named("Invite")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("owner: who can act here", owner, account + "/sharing/who-can-act"));
        states.add(visit("owner: account revoke confirmation", owner, account + "/sharing/" + w.opsGrant + "/revoke"));
        states.add(visit("owner: billing", owner, account + "/billing"));
        states.add(new State("owner: payment method with errors", owner, page -> {
            page.navigate(account + "/billing");
            page.getByLabel("Card number").fill("1234");
            page.getByRole(AriaRole.BUTTON, named("Save payment method")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("owner: usage", owner, account + "/usage"));
        states.add(visit("owner: usage, chart per department", owner, account + "/usage?chart=department"));
        states.add(visit("owner: usage of a month without any", owner, account + "/usage?from=2001-01&to=2001-02"));
        states.add(visit("owner: invoices", owner, account + "/invoices"));
        states.add(visit("owner: invoice", owner, account + "/invoices/" + w.invoice));
        states.add(visit("owner: audit log", owner, account + "/audit"));
        states.add(visit("owner: audit log, nothing matches", owner, account + "/audit?user=zzz-nobody"));
        states.add(visit("owner: profile", owner, base + "settings/profile"));
        states.add(visit("owner: password", owner, base + "settings/password"));
        states.add(new State("owner: password with errors", owner, page -> {
            page.navigate(base + "settings/password");
            page.getByLabel("Current password").fill("not my password");
            page.getByLabel("New password").fill("short");
            page.getByRole(AriaRole.BUTTON, named("Change password")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        states.add(visit("owner: two-factor", owner, base + "settings/two-factor"));
        states.add(visit("owner: SSH keys", owner, base + "settings/ssh-keys"));
        states.add(visit("owner: account name and colour", owner, base + "settings/account"));
        states.add(visit("owner: shared with me (empty)", owner, base + "settings/shared-with-me"));
        states.add(visit("owner: API tokens", owner, base + "settings/api-tokens"));
        states.add(new State("owner: API token created", owner, page -> {
            page.navigate(base + "settings/api-tokens");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("deploy-bot");
            page.getByRole(AriaRole.BUTTON, named("Create token")).click();
            assertThat(page.getByLabel("Your new token")).isVisible();
            assertThat(page.getByRole(AriaRole.BUTTON, named("Copy"))).isVisible();
        }));
        states.add(visit("owner: sessions", owner, base + "settings/sessions"));
        states.add(visit("owner: security log", owner, base + "settings/security-log"));
        states.add(visit("owner: notifications", owner, base + "notifications"));
        states.add(visit("owner: switch account (none shared)", owner, base + "switch"));
        states.add(visit("owner: 403", owner, base + "test-support/forbidden", 403));
        states.add(visit("owner: 404 for an account not theirs", owner,
                base + "accounts/" + w.strictAccount + "/infrastructures", 404));
        states.add(visit("owner: 404 for an unknown address", owner, base + "no-such-page", 404));
        states.add(visit("owner: 503 while the database is away", owner, base + "test-support/unavailable", 503));

        // An account Administrator (the delegate)
        Person ops = w.ops;
        states.add(visit("delegate: dashboard with an invitation waiting", ops, base.toString()));
        states.add(new State("delegate: switch menu open", ops, page -> {
            page.navigate(base.toString());
            page.locator("details.account-switch > summary").click();
            assertThat(page.locator("details.account-switch ul")).isVisible();
        }));
        states.add(new State("delegate: user menu open", ops, page -> {
            page.navigate(base.toString());
            page.locator("details.user-menu > summary").click();
            assertThat(page.locator("details.user-menu ul")).isVisible();
        }));
        states.add(visit("delegate: infrastructures in the shared account", ops, account + "/infrastructures"));
        states.add(visit("delegate: infrastructure", ops, web));
        states.add(visit("delegate: switch account page", ops, base + "switch"));
        states.add(visit("delegate: shared with me", ops, base + "settings/shared-with-me"));
        states.add(visit("delegate: act as the owner", ops, account + "/impersonation"));
        states.add(new State("delegate: act as the owner with errors", ops, page -> {
            page.navigate(account + "/impersonation");
            page.getByLabel("Your password").fill("not my password");
            page.getByRole(AriaRole.BUTTON, named(Pattern.compile("^Act as "))).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));

        // An infrastructure delegate, and a delegate shut out by the two-factor requirement
        states.add(visit("infrastructure delegate: infrastructures", w.mktg, account + "/infrastructures"));
        states.add(visit("infrastructure delegate: sharing tab (read-only)", w.mktg, web + "/sharing"));
        states.add(visit("infrastructure delegate: two-factor required", w.mktg,
                base + "accounts/" + w.strictAccount + "/infrastructures", 403));

        // An Administrator acting as the owner
        Person acting = w.actingAsOwner;
        states.add(new State("acting as the owner: billing with the banner", acting, page -> {
            actAsOwner(page, account);
            page.navigate(account + "/billing");
            assertThat(page.locator(".impersonation-banner")).isVisible();
        }));
        states.add(new State("acting as the owner: invoice", acting, page -> {
            actAsOwner(page, account);
            page.navigate(account + "/invoices/" + w.invoice);
        }));
        states.add(new State("acting as the owner: settings refused", acting, page -> {
            actAsOwner(page, account);
            page.navigate(account + "/impersonation");
        }));

        // Somebody with nothing yet: the empty states
        Person nobody = w.nobody;
        states.add(visit("empty: dashboard", nobody, base.toString()));
        Long nobodyAccount = accounts.accountOf(nobody.user);
        states.add(visit("empty: infrastructures", nobody, base + "accounts/" + nobodyAccount + "/infrastructures"));
        states.add(visit("empty: usage", nobody, base + "accounts/" + nobodyAccount + "/usage"));
        states.add(visit("empty: invoices", nobody, base + "accounts/" + nobodyAccount + "/invoices"));
        states.add(visit("empty: audit log", nobody, base + "accounts/" + nobodyAccount + "/audit"));
        states.add(visit("empty: account sharing", nobody, base + "accounts/" + nobodyAccount + "/sharing"));
        states.add(visit("empty: who can act here", nobody, base + "accounts/" + nobodyAccount + "/sharing/who-can-act"));
        states.add(visit("empty: switch account", nobody, base + "switch"));
        states.add(visit("empty: SSH keys", nobody, base + "settings/ssh-keys"));
        states.add(visit("empty: API tokens", nobody, base + "settings/api-tokens"));
        states.add(visit("empty: notifications", nobody, base + "notifications"));
        states.add(new State("empty: SSH key with errors", nobody, page -> {
            page.navigate(base + "settings/ssh-keys");
            page.getByLabel("Public key").fill("ssh-rsa not-a-key");
            page.getByRole(AriaRole.BUTTON, named("Add key")).click();
            assertThat(page.locator(".field-error").first()).isVisible();
        }));
        return states;
    }

    private State visit(String name, Person person, String url) {
        return visit(name, person, url, 200);
    }

    private State visit(String name, Person person, String url, int status) {
        return new State(name, person, page -> {
            Response response = page.navigate(url);
            assertEquals(status, response.status(), name + ": " + url);
        });
    }

    /** Starts acting as the owner unless this browser already does. */
    private static void actAsOwner(Page page, String account) {
        page.navigate(account + "/infrastructures");
        if (page.locator(".impersonation-banner").count() > 0) {
            return;
        }
        page.navigate(account + "/impersonation");
        page.getByLabel("Reason (the owner reads it)").fill("The card on file expired and this month's invoice is due");
        page.getByLabel("Your password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named(Pattern.compile("^Act as "))).click();
        assertThat(page.locator(".impersonation-banner")).isVisible();
    }

    private void signIn(Page page, User user) {
        page.navigate(base + "login");
        page.getByLabel("Email").fill(user.email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(DASHBOARD);
        assertFalse(page.url().contains("/login"));
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private static Page.GetByRoleOptions named(Pattern name) {
        return new Page.GetByRoleOptions().setName(name);
    }
}
