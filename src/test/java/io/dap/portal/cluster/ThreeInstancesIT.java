package io.dap.portal.cluster;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.dap.portal.cluster.Cluster.Person;
import io.dap.portal.support.MigrationScripts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.Chromium;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The production shape, proven: three instances of the packaged PostgreSQL app (the artifact and the
 * settings README gives operators) on one database, nginx round robin in front without stickiness,
 * and an SMTP server. What one instance does, the others see on the very next request, because
 * sessions, grants, impersonations, throttling and mail all live in the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "canRun", disabledReason = "needs PostgreSQL (PORTAL_TEST_POSTGRESQL_URL), nginx and the packaged app")
class ThreeInstancesIT {

    private static final Path APP = Path.of(System.getProperty("portal.cluster.app",
            "target/portal-postgresql-runner.jar"));
    private static final Path WORK = Path.of(System.getProperty("portal.cluster.work", "target/cluster"));
    private static final Path MIGRATIONS = Path.of(System.getProperty("portal.cluster.migrations",
            "src/main/resources/db/migration"));
    private static final String SESSION_COOKIE = "portal_session";

    private static Cluster cluster;
    private static Chromium chromium;

    static boolean canRun() {
        var missing = Cluster.missing(APP);
        missing.ifPresent(reason -> System.err.println("[WARNING] SKIPPED ThreeInstancesIT: " + reason));
        return missing.isEmpty();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.start(APP, WORK);
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = cluster.balancer.port;
    }

    @AfterAll
    static void stopCluster() throws Exception {
        RestAssured.reset();
        if (chromium != null) {
            chromium.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * An empty database gets the newest baseline script (B…) and the V scripts above its version, so
     * that is what one instance applies; the other two wait for its lock and find nothing to do.
     */
    @Test
    @Order(1)
    void threeInstancesStartedAtOnceMigrateTheSchemaOnce() throws Exception {
        MigrationScripts scripts = MigrationScripts.in(MIGRATIONS);
        long migrations = scripts.onAnEmptyDatabase().size();
        assertEquals(migrations, cluster.database.count("select count(*) from flyway_schema_history"
                + " where success and version is not null"));
        if (scripts.baseline() != null) {
            assertEquals(1, cluster.database.count("select count(*) from flyway_schema_history"
                    + " where type = 'SQL_BASELINE' and version = ?", scripts.baseline().getVersion()),
                    "the baseline applied once");
        }
        assertEquals(0, cluster.database.rows("select version from flyway_schema_history where version is not null"
                + " group by version having count(*) > 1").size(), "a migration applied twice");
        List<String> logs = cluster.instances.stream().map(Instance::logText).toList();
        Pattern applied = Pattern.compile("Successfully applied " + migrations + " migrations? to schema");
        assertEquals(1, logs.stream().filter(l -> applied.matcher(l).find()).count(), "exactly one instance migrates");
        assertEquals(2, logs.stream().filter(l -> l.contains("No migration necessary")).count(),
                "the other two find the schema up to date");
        for (Instance instance : cluster.instances) {
            RestAssured.given().get(instance.url("/q/health/ready")).then().statusCode(200)
                    .body(containsString("Database connections health check"));
        }
    }

    /**
     * The jar leaves application.properties out (the build records its values): SmallRye Config would
     * otherwise open the whole jar as a zip file system to read it, twice at every start. The settings
     * must still apply: here, three that only that file sets.
     */
    @Test
    @Order(2)
    void thePackagedAppAppliesTheSettingsOfApplicationPropertiesWithoutTheFileInItsJar() throws Exception {
        try (JarFile jar = new JarFile(APP.toFile())) {
            assertNull(jar.getEntry("application.properties"), "the jar still holds application.properties");
            assertNotNull(jar.getEntry("io/dap/portal/PortalMain.class"), "not the portal's jar");
        }
        Instance instance = cluster.instances.get(0);
        Response login = RestAssured.given().get(instance.url("/login"));
        login.then().statusCode(200);
        // quarkus.rest-csrf.cookie-name (Quarkus's own default is csrf-token), HTTP-only
        assertNotNull(login.detailedCookie("portal_csrf"), "no portal_csrf cookie: " + login.getHeaders());
        assertTrue(login.detailedCookie("portal_csrf").isHttpOnly());
        // a page behind sign-in sends a stranger to the form
        RestAssured.given().redirects().follow(false).get(instance.url("/settings/profile")).then()
                .statusCode(303).header("Location", containsString("/login"));
        // quarkus.log.console.format: "HH:mm:ss LEVEL [abbreviated.category] message"
        assertTrue(Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d INFO  \\[[a-z]{2}\\.[a-z]{2}\\.").matcher(instance.logText()).find(),
                "the log lines do not have the portal's format");
    }

    @Test
    @Order(3)
    void aBrowserStoryAcrossInstancesAndWhatOneInstanceEndsTheOthersRefuseOnTheNextRequest() throws Exception {
        Person owner = cluster.person("story-owner", "Olivia Owner");
        Person delegate = cluster.person("story-delegate", "Dan Delegate");
        cluster.makeBillable(owner);
        String account = "/accounts/" + owner.accountId();
        chromium = new Chromium();
        Set<String> servedBy = ConcurrentHashMap.newKeySet();

        Page ownerPage = signIn(owner, servedBy);
        Page delegatePage = signIn(delegate, servedBy);
        Page delegateElsewhere = signIn(delegate, servedBy);

        // The owner invites; whichever instance sends the mail, its link leads through the balancer.
        ownerPage.navigate(cluster.url(account + "/sharing"));
        ownerPage.getByLabel("Email addresses", new Page.GetByLabelOptions().setExact(true)).fill(delegate.email());
        ownerPage.getByRole(AriaRole.RADIO, named(Pattern.compile("^Administrator —"))).check();
        ownerPage.getByRole(AriaRole.BUTTON, named("Invite")).click();
        assertThat(ownerPage.getByRole(AriaRole.STATUS)).containsText(" sent to " + delegate.email());
        String link = cluster.awaitLink(delegate.email(), "/invitations/");
        assertTrue(link.startsWith(cluster.url("/")), "links point at the balancer: " + link);

        delegatePage.navigate(link);
        delegatePage.getByRole(AriaRole.BUTTON, named("Accept")).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("Invitation accepted");

        // Switch account, create and deploy in the owner's account.
        delegatePage.locator("details.account-switch summary").click();
        Pattern ownerChoice = Pattern.compile("^" + literal(owner.name() + " " + owner.email()) + " · Administrator$");
        delegatePage.locator("details.account-switch")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(ownerChoice)).click();
        assertThat(delegatePage).hasURL(cluster.url(account + "/infrastructures"));
        delegatePage.getByRole(AriaRole.LINK, named("New infrastructure")).click();
        delegatePage.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Web");
        delegatePage.getByLabel("Department or cost centre").fill("Marketing");
        delegatePage.getByRole(AriaRole.BUTTON, named("Create")).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("Infrastructure Web created");
        delegatePage.getByLabel("Drive name").fill("web-1");
        delegatePage.getByLabel("Size in GB").fill("20");
        delegatePage.getByRole(AriaRole.BUTTON, named("Add drive")).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("Drive web-1 added");
        delegatePage.getByRole(AriaRole.BUTTON, named("Deploy")).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("Deployed: 1 drive provisioned.");
        assertEquals(1, cluster.database.count("select count(*) from drive d join infrastructure i"
                + " on i.id = d.infrastructure_id where i.account_id = ? and d.status = 'RUNNING'", owner.accountId()));

        // The delegate acts as the owner for billing; the owner ends it through whichever instance.
        delegatePage.getByRole(AriaRole.NAVIGATION, named("Main"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Billing (act as owner)")).click();
        Locator start = delegatePage.getByRole(AriaRole.FORM, named("Act as the owner"));
        start.getByLabel("Reason (the owner reads it)").fill("The card expired");
        start.getByLabel("Your password").fill(Cluster.PASSWORD);
        start.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Act as " + owner.email())).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("You are now acting as " + owner.email());
        String delegateSession = sessionCookie(delegatePage);
        everyInstanceAnswers(delegateSession, account + "/billing", 200);

        ownerPage.navigate(cluster.url(account + "/sharing"));
        ownerPage.getByRole(AriaRole.REGION, named("Acting as you now"))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("End it now for " + delegate.email()))
                .click();
        assertThat(ownerPage.getByRole(AriaRole.STATUS)).containsText("Impersonation ended");
        everyInstanceAnswers(delegateSession, account + "/billing", 403);
        assertEquals(403, delegatePage.navigate(cluster.url(account + "/billing")).status());

        // The owner revokes: no instance lets the delegate in any more (R9).
        everyInstanceAnswers(delegateSession, account + "/infrastructures", 200);
        ownerPage.navigate(cluster.url(account + "/sharing"));
        Locator row = ownerPage.getByRole(AriaRole.TABLE, named("Account delegates, newest first"))
                .getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(delegate.email()));
        row.getByText("Manage").click();
        row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Revoke…").setExact(true)).click();
        ownerPage.getByRole(AriaRole.BUTTON, named("Revoke access")).click();
        assertThat(ownerPage.getByRole(AriaRole.STATUS)).containsText("Access revoked");
        everyInstanceAnswers(delegateSession, account + "/infrastructures", 404);
        assertEquals(404, delegatePage.navigate(cluster.url(account + "/infrastructures")).status());

        // Sign out everywhere from one browser ends the other browser's session on every instance.
        String elsewhere = sessionCookie(delegateElsewhere);
        everyInstanceAnswers(elsewhere, "/settings/profile", 200);
        delegatePage.navigate(cluster.url("/settings/sessions"));
        delegatePage.getByRole(AriaRole.BUTTON, named("Sign out everywhere")).click();
        assertThat(delegatePage.getByRole(AriaRole.STATUS)).containsText("You were signed out of 2 sessions");
        everyInstanceAnswers(elsewhere, "/settings/profile", 303);
        delegateElsewhere.navigate(cluster.url("/settings/profile"));
        assertThat(delegateElsewhere).hasURL(Pattern.compile("/login"));

        assertEquals(3, servedBy.size(), "the story's pages came from every instance: " + servedBy);
    }

    @Test
    @Order(4)
    void signInFailuresCountedOnEveryInstanceThrottleTheNextAttemptOnAllOfThem() {
        Person person = cluster.person("throttled", "Theo Throttled");
        Browser browser = new Browser();
        browser.get("/login").then().statusCode(200);
        Set<String> failedOn = new HashSet<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            Response failure = browser.post("/login", "email", person.email(), "password", "wrong guess " + attempt);
            assertEquals(303, failure.statusCode());
            // Redirects lead back through the balancer, its port included (X-Forwarded-Port).
            assertTrue(failure.header("Location").startsWith(cluster.url("/login")), failure.header("Location"));
            failedOn.add(failure.header(Balancer.UPSTREAM_HEADER));
        }
        // No instance saw five failures itself: only the shared count can throttle now.
        assertTrue(failedOn.size() >= 2, "failures spread over instances: " + failedOn);

        Response throttled = browser.post("/login", "email", person.email(), "password", Cluster.PASSWORD);
        assertEquals(429, throttled.statusCode(), "the right password waits too");
        for (Instance instance : cluster.instances) {
            Browser direct = new Browser();
            direct.get(instance.url("/login"));
            assertEquals(429, direct.post(instance.url("/login"), "email", person.email(), "password", Cluster.PASSWORD)
                    .statusCode(), instance + " counts the failures the others saw");
        }
    }

    @Test
    @Order(5)
    void twentySimultaneousAcceptsSpreadOverThreeInstancesMakeOneGrant() throws Exception {
        Person owner = cluster.person("race-owner", "Rita Race");
        Person invitee = cluster.person("race-invitee", "Ivan Invitee");
        Browser ownerBrowser = new Browser().signIn(owner.email(), Cluster.PASSWORD);
        String sharing = "/accounts/" + owner.accountId() + "/sharing";
        ownerBrowser.get(sharing).then().statusCode(200);
        assertEquals(303, ownerBrowser.post(sharing + "/invite", "email", invitee.email(), "role",
                "ACCOUNT_ADMINISTRATOR", "label", "", "until", "").statusCode());
        String link = URI.create(cluster.awaitLink(invitee.email(), "/invitations/")).getPath();

        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Browser browser = new Browser().signIn(invitee.email(), Cluster.PASSWORD);
            browser.get(link).then().statusCode(200);
            browsers.add(browser);
        }
        List<Response> answers = simultaneously(browsers.stream()
                .<Callable<Response>>map(b -> () -> b.post(link + "/accept", Map.of())).toList());

        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 303 || s == 404), "303 or 404 only: " + statuses);
        assertEquals(1, statuses.stream().filter(s -> s == 303).count(), "one accept wins: " + statuses);
        Set<String> servedBy = answers.stream().map(r -> r.header(Balancer.UPSTREAM_HEADER)).collect(Collectors.toSet());
        assertEquals(3, servedBy.size(), "the twenty clicks reached every instance: " + servedBy);
        assertEquals(1, cluster.database.count("select count(*) from access_grant where account_id = ?"
                + " and grantee_id = ? and status = 'ACCEPTED'", owner.accountId(), invitee.id()));
        assertEquals(1, cluster.database.count("select count(*) from audit_event where account_id = ?"
                + " and action = 'INVITATION_ACCEPTED'", owner.accountId()));
    }

    @Test
    @Order(6)
    void everyInstanceRunsTheInvoiceJobAndEachAccountIsInvoicedOncePerMonth() throws Exception {
        // Drives running since the first hours of the month before last: two completed months each.
        YearMonth first = YearMonth.now(ZoneOffset.UTC).minusMonths(2);
        OffsetDateTime since = first.atDay(1).atTime(1, 0).atOffset(ZoneOffset.UTC);
        List<Long> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Person owner = cluster.person("invoiced", "Ingrid Invoiced " + i);
            long infrastructure = cluster.database.id("insert into infrastructure (account_id, label, description,"
                    + " status, created_by, created_at, deployed_at, version) values (?, 'Batch', '', 'DEPLOYED', ?, ?, ?, 0)"
                    + " returning id", owner.accountId(), owner.id(), since, since);
            cluster.database.update("insert into drive (infrastructure_id, label, size_gb, status, created_at,"
                    + " provisioned_at, provisioned_by) values (?, 'data', 100, 'RUNNING', ?, ?, ?)", infrastructure, since,
                    since, owner.id());
            accounts.add(owner.accountId());
        }
        String inAccounts = accounts.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));

        awaitTrue(Duration.ofSeconds(90), () -> cluster.database.count(
                "select count(*) from invoice where account_id in " + inAccounts) == 8);
        // Every instance runs the job every two seconds: let each run it a few more times over the same data.
        Thread.sleep(6_000);

        assertEquals(8, cluster.database.count("select count(*) from invoice where account_id in " + inAccounts));
        assertEquals(8, cluster.database.count("select count(*) from audit_event where action = 'INVOICE_ISSUED'"
                + " and account_id in " + inAccounts), "one audit entry per invoice: issued once each");
        for (Instance instance : cluster.instances) {
            assertTrue(!instance.logText().contains("Could not issue"), instance + " failed on a lost race");
        }
    }

    @Test
    @Order(7)
    void readinessFollowsTheDatabaseWhileLivenessDoesNot() throws Exception {
        cluster.database.refuseConnections();
        try {
            awaitTrue(Duration.ofSeconds(60), () -> cluster.instances.stream().allMatch(i -> i.readiness() == 503));
            for (Instance instance : cluster.instances) {
                assertEquals(200, instance.liveness(), instance + " is alive without its database");
            }
        } finally {
            cluster.database.allowConnections();
        }
        awaitTrue(Duration.ofSeconds(60), () -> cluster.instances.stream().allMatch(i -> i.readiness() == 200));
        new Browser().signIn(cluster.person("back", "Bea Back").email(), Cluster.PASSWORD);
    }

    @Test
    @Order(8)
    void twoHundredInvitationsAreMailedExactlyOnceAndAnInstanceStoppedMidBatchLosesAndRepeatsNone()
            throws Exception {
        String wave = "wave-" + System.nanoTime();
        Map<String, Integer> created = inviteConcurrently(wave, 10, 20, 100, () -> {
            Instance stopped = cluster.instances.get(1);
            long pending = pendingMails(wave);
            assertTrue(pending > 0, "the senders are mid-batch when the instance stops");
            assertTrue(stopped.stop() >= 0);
            assertTrue(stopped.logText().contains("stopped in"), "a graceful stop");
        });
        Set<String> invited = invitedAddresses(wave);
        assertTrue(invited.size() >= 190, "almost every invitation was created: " + invited.size());
        created.forEach((email, status) -> {
            if (status == 303) {
                assertTrue(invited.contains(email), "a 303 means the invitation exists: " + email);
            }
        });

        awaitTrue(Duration.ofSeconds(120), () -> pendingMails(wave) == 0);
        Map<String, Long> received = receivedPerAddress(wave);
        assertEquals(invited, received.keySet(), "every invitation reached its address, nothing else was sent");
        assertEquals(Map.of(), repeated(received), "no mail twice");
        assertEquals(invited.size(), cluster.database.count("select count(*) from outbox_mail where recipient like ?"
                + " and status = 'SENT' and attempts = 1", wave + "%"));
    }

    @Test
    @Order(9)
    void aCrashedSenderLosesNoMailAndRepeatsAtMostTheOneInHand() throws Exception {
        String wave = "crash-" + System.nanoTime();
        inviteConcurrently(wave, 5, 12, 30, () -> {
            assertTrue(pendingMails(wave) > 0, "the senders are mid-batch when the instance dies");
            cluster.instances.get(2).kill();
        });
        Set<String> invited = invitedAddresses(wave);

        // What the dead instance had claimed comes free after the claim timeout (10 s here) and goes out.
        awaitTrue(Duration.ofSeconds(120), () -> pendingMails(wave) == 0);
        Map<String, Long> received = receivedPerAddress(wave);
        assertEquals(invited, received.keySet(), "no mail lost");
        assertTrue(repeated(received).size() <= 1, "only the mail in the dead instance's hand may go twice: "
                + repeated(received));
    }

    // Outbox helpers

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Owners (one thread each) invite new addresses through the balancer; after {@code atCount} answers,
     * {@code meanwhile} runs once on this thread. Returns each address with the status of its POST.
     */
    private Map<String, Integer> inviteConcurrently(String wave, int owners, int each, int atCount, Step meanwhile)
            throws Exception {
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger answered = new AtomicInteger();
        List<Callable<Void>> work = new ArrayList<>();
        for (int o = 0; o < owners; o++) {
            Person owner = cluster.person(wave + "-owner", "Owner " + o);
            Browser browser = new Browser().signIn(owner.email(), Cluster.PASSWORD);
            String sharing = "/accounts/" + owner.accountId() + "/sharing";
            browser.get(sharing).then().statusCode(200);
            int ownerNumber = o;
            work.add(() -> {
                for (int i = 0; i < each; i++) {
                    String email = wave + "-" + ownerNumber + "-" + i + "@example.org";
                    int status = browser.post(sharing + "/invite", "email", email, "role", "ACCOUNT_READ_ONLY",
                            "label", "", "until", "").statusCode();
                    statuses.put(email, status);
                    answered.incrementAndGet();
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(owners);
        try {
            List<Future<Void>> futures = work.stream().map(pool::submit).toList();
            awaitTrue(Duration.ofSeconds(120), () -> answered.get() >= atCount);
            meanwhile.run();
            for (Future<Void> future : futures) {
                future.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    private static long pendingMails(String wave) {
        return cluster.database.count("select count(*) from outbox_mail where recipient like ? and status <> 'SENT'",
                wave + "%");
    }

    private static Set<String> invitedAddresses(String wave) {
        return cluster.database.rows("select u.email from access_grant g join app_user u on u.id = g.grantee_id"
                + " where u.email like ?", wave + "-%").stream().map(r -> (String) r.get(0))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static Map<String, Long> receivedPerAddress(String wave) {
        return Stream.of(cluster.smtp.getReceivedMessages()).map(Cluster::recipient).filter(r -> r.startsWith(wave))
                .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
    }

    private static Map<String, Long> repeated(Map<String, Long> received) {
        Map<String, Long> repeated = new HashMap<>();
        received.forEach((address, count) -> {
            if (count > 1) {
                repeated.put(address, count);
            }
        });
        return repeated;
    }

    // Browser and HTTP helpers

    private static Page signIn(Person person, Set<String> servedBy) {
        Page page = chromium.newPage();
        page.setDefaultTimeout(30_000);
        page.onResponse(response -> {
            if ("document".equals(response.request().resourceType())) {
                String upstream = response.headerValue(Balancer.UPSTREAM_HEADER);
                if (upstream != null) {
                    servedBy.add(upstream);
                }
            }
        });
        page.navigate(cluster.url("/login"));
        page.getByLabel("Email").fill(person.email());
        page.getByLabel("Password").fill(Cluster.PASSWORD);
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        try {
            // The first requests to a cold instance on a busy machine can take a while.
            // Sign-in lands on the dashboard, at the balancer's root.
            assertThat(page).hasURL(Pattern.compile(":[0-9]+/$"),
                    new PageAssertions.HasURLOptions().setTimeout(90_000));
        } catch (AssertionError e) {
            Chromium.screenshot(page, "cluster-sign-in-failed");
            throw new AssertionError("sign-in of " + person.email() + " ended on " + page.url() + ": "
                    + page.locator("main").innerText(), e);
        }
        return page;
    }

    private static String sessionCookie(Page page) {
        return page.context().cookies().stream().filter(c -> c.name.equals(SESSION_COOKIE)).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie")).value;
    }

    /** The same cookie, sent straight to each instance in turn, gets the same answer from all three. */
    private static void everyInstanceAnswers(String sessionId, String path, int status) {
        for (Instance instance : cluster.instances) {
            Browser direct = new Browser();
            direct.setCookie(SESSION_COOKIE, sessionId);
            Response response = direct.get(instance.url(path));
            assertEquals(status, response.statusCode(), instance + " on " + path);
            if (status == 303) {
                assertTrue(response.header("Location").contains("/login"), response.header("Location"));
            }
        }
    }

    private static <T> List<T> simultaneously(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return call.call();
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return Collections.unmodifiableList(results);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Playwright hands patterns to JavaScript, which knows no \Q…\E: escape by hand. */
    private static String literal(String text) {
        return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
    }

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private static Page.GetByRoleOptions named(Pattern name) {
        return new Page.GetByRoleOptions().setName(name);
    }
}
