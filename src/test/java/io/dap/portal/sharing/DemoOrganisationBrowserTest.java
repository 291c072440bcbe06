package io.dap.portal.sharing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.account.Drive;
import io.dap.portal.sshkey.DriveKey;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Chromium;
import io.dap.portal.support.Grants;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * DESIGN.md §5 end to end in a real browser: ops, finance's account Administrator, builds Web, Hadoop
 * and ERP in finance's account and shares them per department on the Sharing tab; each department sees
 * only its own; finance revokes BI from ERP and removes BI's keys from the ERP drive (R4, R5, R9, R11, R15).
 */
@QuarkusTest
class DemoOrganisationBrowserTest {

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
    void opsBuildsAndSharesTheDepartmentsInfrastructuresEachSeesOnlyItsOwnAndFinanceRevokesBi() throws Exception {
        User finance = users.active(Users.uniqueEmail("finance"), "Finance Dept");
        User ops = users.active(Users.uniqueEmail("ops"), "Ops Team");
        User mktg = users.active(Users.uniqueEmail("mktg"), "Marketing Dept");
        User logistics = users.active(Users.uniqueEmail("logistics"), "Logistics Dept");
        User bi = users.active(Users.uniqueEmail("bi"), "BI Dept");
        Long financeAccount = accounts.accountOf(finance);
        accounts.makeBillable(financeAccount);
        accounts.key(finance, "finance-laptop", Accounts.fixtureKey("ed25519"));
        accounts.key(ops, "ops-laptop", Accounts.fixtureKey("rsa2048"));
        accounts.key(mktg, "mktg-laptop", Accounts.fixtureKey("ecdsa256"));
        accounts.key(logistics, "logistics-laptop", Accounts.fixtureKey("ecdsa384"));
        accounts.key(bi, "bi-laptop", Accounts.fixtureKey("ecdsa521"));
        String financeKey = fixtureFingerprint("ed25519");
        String opsKey = fixtureFingerprint("rsa2048");
        String mktgKey = fixtureFingerprint("ecdsa256");
        String logisticsKey = fixtureFingerprint("ecdsa384");
        String biKey = fixtureFingerprint("ecdsa521");

        // ops becomes finance's account Administrator the real way: finance invites on Account sharing,
        // ops accepts from the mailed link.
        Page financePage = signIn(finance);
        Page opsPage = signIn(ops);
        financePage.navigate(base + "accounts/" + financeAccount + "/sharing");
        financePage.getByLabel("Email addresses", new Page.GetByLabelOptions().setExact(true)).fill(ops.email);
        financePage.getByRole(AriaRole.RADIO, named(Pattern.compile("^Administrator"))).check();
        financePage.getByRole(AriaRole.BUTTON, named("Invite")).click();
        assertThat(financePage.getByRole(AriaRole.STATUS)).containsText(" sent to " + ops.email);
        accept(opsPage, ops, "the account of Finance Dept");

        String infrastructures = base + "accounts/" + financeAccount + "/infrastructures";
        Page mktgPage = signIn(mktg);
        Page logisticsPage = signIn(logistics);
        Page biPage = signIn(bi);

        String web = create(opsPage, financeAccount, "Web", "Marketing", "web-1");
        String hadoop = create(opsPage, financeAccount, "Hadoop", "BI", "hadoop-1");
        String erp = create(opsPage, financeAccount, "ERP", "Logistics", "erp-1");

        share(opsPage, web, "Web", mktg, mktgPage);
        share(opsPage, erp, "ERP", logistics, logisticsPage);
        share(opsPage, hadoop, "Hadoop", bi, biPage);
        share(opsPage, erp, "ERP", bi, biPage);
        opsPage.navigate(erp + "/sharing");
        Locator erpDelegates = opsPage.getByRole(AriaRole.TABLE, named(Pattern.compile("^Delegates of ERP")));
        assertThat(erpDelegates.locator("tbody tr")).hasCount(2);
        assertThat(row(erpDelegates, logistics.email)).containsText("Accepted");
        assertThat(row(erpDelegates, bi.email)).containsText("Accepted");
        assertThat(row(erpDelegates, bi.email)).containsText("Administrator");
        assertThat(opsPage.locator("main")).containsText(ops.email + ") — Administrator");
        Chromium.screenshot(opsPage, "demo-sharing-tab");

        // ops deploys after every grant was accepted, so each drive receives its delegates' keys (R11).
        for (String infrastructure : new String[] { web, hadoop, erp }) {
            opsPage.navigate(infrastructure);
            opsPage.getByRole(AriaRole.BUTTON, named("Deploy")).click();
            assertThat(opsPage.getByRole(AriaRole.STATUS)).containsText("Deployed: 1 drive provisioned.");
        }

        // Each department sees exactly its own infrastructures in finance's account, and nothing else (R4, R15).
        assertListed(mktgPage, infrastructures, "Web");
        assertListed(logisticsPage, infrastructures, "ERP");
        assertListed(biPage, infrastructures, "ERP", "Hadoop");
        assertThat(biPage.getByRole(AriaRole.LINK, named("New infrastructure"))).hasCount(0);
        Chromium.screenshot(biPage, "demo-bi-infrastructures");
        assertListed(opsPage, infrastructures, "ERP", "Hadoop", "Web");
        assertEquals(404, status(mktgPage, erp));
        assertEquals(404, status(mktgPage, hadoop));
        assertEquals(404, status(logisticsPage, web));
        assertEquals(404, status(logisticsPage, hadoop + "/sharing"));
        assertEquals(404, status(biPage, web));
        assertEquals(404, status(biPage, driveUrl(web, "web-1")));
        assertEquals(200, status(biPage, hadoop));

        Locator hadoopKeys = driveKeys(biPage, hadoop, "hadoop-1");
        assertThat(hadoopKeys.locator("tbody tr")).hasCount(3);
        assertThat(hadoopKeys).containsText(financeKey);
        assertThat(hadoopKeys).containsText(opsKey);
        assertThat(row(hadoopKeys, biKey)).containsText("installed");
        Locator erpKeys = driveKeys(biPage, erp, "erp-1");
        assertThat(erpKeys.locator("tbody tr")).hasCount(4);
        assertThat(row(erpKeys, biKey)).containsText("installed");
        assertThat(row(erpKeys, logisticsKey)).containsText("installed");
        Locator webKeys = driveKeys(mktgPage, web, "web-1");
        assertThat(row(webKeys, mktgKey)).containsText("installed");
        assertThat(webKeys).not().containsText(biKey);

        // finance revokes BI from ERP; the confirmation offers to remove BI's key from the one ERP drive.
        financePage.navigate(erp + "/sharing");
        Locator delegates = financePage.getByRole(AriaRole.TABLE, named(Pattern.compile("^Delegates of ERP")));
        Locator biRow = row(delegates, bi.email);
        biRow.getByText("Manage").click();
        biRow.getByRole(AriaRole.LINK, within("Revoke…")).click();
        assertThat(financePage.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Revoke " + bi.email + " from ERP?");
        // BI keeps Hadoop: finance unticks ending BI's other grant, which the page lists and ticks by default (R17).
        Locator endEvery = financePage.getByLabel("End every grant " + bi.email + " holds in this account");
        assertThat(endEvery).isChecked();
        assertThat(financePage.getByRole(AriaRole.GROUP, named("Their other access in this account")))
                .containsText("Hadoop");
        endEvery.uncheck();
        Locator drivesWithKeys = financePage.getByRole(AriaRole.TABLE, named("Running drives with their SSH keys"));
        assertThat(drivesWithKeys.locator("tbody tr")).hasCount(1);
        assertThat(row(drivesWithKeys, "erp-1")).containsText(biKey);
        Locator removeKeys = financePage.getByLabel("Remove these keys from 1 drive");
        assertThat(removeKeys).isChecked();
        Chromium.screenshot(financePage, "demo-revoke-confirmation");
        financePage.getByRole(AriaRole.BUTTON, named("Revoke access")).click();
        assertThat(financePage.getByRole(AriaRole.STATUS))
                .containsText("Access revoked. It ends with the delegate's next request. Their SSH keys were removed");
        assertThat(row(delegates, bi.email)).containsText("Revoked");
        assertThat(row(delegates, logistics.email)).containsText("Accepted");

        // The very next request of BI: ERP is gone (R9), Hadoop stays.
        assertEquals(404, status(biPage, erp));
        assertEquals(404, status(biPage, driveUrl(erp, "erp-1")));
        assertListed(biPage, infrastructures, "Hadoop");
        assertEquals(200, status(biPage, hadoop));
        assertThat(row(driveKeys(biPage, hadoop, "hadoop-1"), biKey)).containsText("installed");
        assertListed(logisticsPage, infrastructures, "ERP");

        erpKeys = driveKeys(financePage, erp, "erp-1");
        assertThat(erpKeys.locator("tbody tr")).hasCount(4);
        assertThat(row(erpKeys, biKey)).containsText("removed");
        assertThat(row(erpKeys, biKey)).containsText("by Finance Dept");
        assertThat(row(erpKeys, logisticsKey)).containsText("installed");
        assertThat(row(erpKeys, financeKey)).containsText("installed");
        assertThat(row(erpKeys, opsKey)).containsText("installed");
        assertEquals(1, removedKeys(financeAccount));
    }

    private Page signIn(User user) {
        Page page = chromium.newPage();
        // Sign-in hashes a password and the first pages compile their templates: slow on a busy machine.
        page.setDefaultTimeout(45_000);
        page.navigate(base + "login");
        page.getByLabel("Email").fill(user.email);
        page.getByLabel("Password").fill(Users.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Dashboard");
        return page;
    }

    /** Creates an infrastructure with one pending drive through the pages; returns the editor's address. */
    private String create(Page page, Long accountId, String label, String department, String drive) {
        page.navigate(base + "accounts/" + accountId + "/infrastructures/new");
        assertThat(page.locator("main")).containsText("It belongs to the account of Finance Dept");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(label);
        page.getByLabel("Department or cost centre").fill(department);
        page.getByRole(AriaRole.BUTTON, named("Create")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Infrastructure " + label + " created");
        page.getByLabel("Drive name").fill(drive);
        page.getByLabel("Size in GB").fill("20");
        page.getByRole(AriaRole.BUTTON, named("Add drive")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Drive " + drive + " added");
        return page.url().replaceFirst("[?#].*$", "");
    }

    /** ops invites on the Sharing tab as infrastructure Administrator; the invitee accepts from the mailed link. */
    private void share(Page sharer, String infrastructure, String label, User invitee, Page inviteePage) {
        sharer.navigate(infrastructure);
        sharer.getByRole(AriaRole.LINK, named("Sharing")).click();
        assertThat(sharer.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)))
                .hasText("Sharing of " + label);
        sharer.getByLabel("Email addresses", new Page.GetByLabelOptions().setExact(true)).fill(invitee.email);
        sharer.getByRole(AriaRole.RADIO, named(Pattern.compile("^Administrator"))).check();
        sharer.getByRole(AriaRole.BUTTON, named("Invite")).click();
        assertThat(sharer.getByRole(AriaRole.STATUS)).containsText("Invitation to " + label + " sent to " + invitee.email);

        accept(inviteePage, invitee, "the infrastructure " + label + " of Finance Dept");
    }

    /** The invitee opens the newest invitation link mailed to them and accepts it as Administrator. */
    private void accept(Page page, User invitee, String what) {
        page.navigate(base + grants.invitationLink(invitee.email).substring(1));
        assertThat(page.locator("main")).containsText(what);
        assertThat(page.locator("main")).containsText("with the role Administrator");
        page.getByRole(AriaRole.BUTTON, named("Accept")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");
    }

    private static void assertListed(Page page, String url, String... labels) {
        page.navigate(url);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Infrastructures");
        Locator table = page.getByRole(AriaRole.TABLE, named("Infrastructures of Finance Dept"));
        assertThat(table.locator("tbody tr td:first-child a")).hasText(labels);
    }

    private static int status(Page page, String url) {
        return page.navigate(url).status();
    }

    private static String driveUrl(String infrastructure, String drive) {
        Long infrastructureId = Long.valueOf(infrastructure.substring(infrastructure.lastIndexOf('/') + 1));
        return infrastructure + "/drives/" + driveId(infrastructureId, drive);
    }

    private static Locator driveKeys(Page page, String infrastructure, String drive) {
        assertEquals(200, status(page, driveUrl(infrastructure, drive)));
        return page.getByRole(AriaRole.TABLE, named("SSH keys on drive " + drive));
    }

    private static Locator row(Locator table, String text) {
        return table.locator("tbody tr").filter(new Locator.FilterOptions().setHasText(text));
    }

    private static Long driveId(Long infrastructureId, String label) {
        return QuarkusTransaction.requiringNew().call(() -> Drive.<Drive>find("infrastructure.id = ?1 and label = ?2",
                infrastructureId, label).singleResult().id);
    }

    private static long removedKeys(Long accountId) {
        return QuarkusTransaction.requiringNew().call(() -> DriveKey.count(
                "drive.infrastructure.account.id = ?1 and removedAt is not null", accountId));
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

    /** The SHA256 fingerprint as ssh-keygen -l printed it for the fixture key. */
    private static String fixtureFingerprint(String name) throws IOException {
        try (InputStream in = DemoOrganisationBrowserTest.class
                .getResourceAsStream("/sshkeys/" + name + ".pub.fingerprint")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(" ")[1];
        }
    }
}
