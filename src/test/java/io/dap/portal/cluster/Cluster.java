package io.dap.portal.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * The production shape on one machine: a fresh PostgreSQL database, an SMTP server (GreenMail), three
 * instances of the packaged PostgreSQL app and nginx in front, all on loopback with free ports. Every
 * instance gets the same environment: README's operator settings plus {@link #testSettings()}.
 */
final class Cluster implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern LINK = Pattern.compile("https?://\\S+?(/(?:invitations|activate)/[A-Za-z0-9_-]+)");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final ClusterDatabase database;
    final GreenMail smtp;
    final List<Instance> instances = new ArrayList<>();
    Balancer balancer;
    private final Map<String, String> environment;
    private final Path work;
    private final Path nginx;
    private final int balancerPort;
    /** Cheap to check (cost 4), so fixtures and twenty sign-ins stay fast; the portal checks any cost. */
    private final String passwordHash = BcryptUtil.bcryptHash(PASSWORD, 4);

    private Cluster(ClusterDatabase database, GreenMail smtp, int smtpPort, Path app, Path work, Path nginx)
            throws IOException {
        this.database = database;
        this.smtp = smtp;
        this.work = work;
        this.nginx = nginx;
        for (int number = 1; number <= 3; number++) {
            instances.add(new Instance(number, freePort(), app, work.resolve("instance-" + number)));
        }
        balancerPort = freePort();
        environment = environment(database.url(), smtpPort, "http://127.0.0.1:" + balancerPort);
    }

    private void boot() throws Exception {
        // Started together, as after a deploy: they race for the schema migration.
        for (Instance instance : instances) {
            instance.start(environment);
        }
        for (Instance instance : instances) {
            instance.awaitReady(READY_TIMEOUT);
        }
        balancer = Balancer.start(nginx, work.resolve("nginx"), balancerPort, instances);
    }

    /** Why this machine cannot run the cluster, if it cannot. */
    static Optional<String> missing(Path app) {
        if (ClusterDatabase.serverUrl().isEmpty()) {
            return Optional.of(ClusterDatabase.serverVariable() + " is not set (.ci/run starts a PostgreSQL and sets it)");
        }
        if (Balancer.executable().isEmpty()) {
            return Optional.of("nginx is not installed (apt-get install nginx)");
        }
        if (!Files.isRegularFile(app)) {
            return Optional.of(app + " is missing: run `./mvnw verify` or `./mvnw package` first");
        }
        return Optional.empty();
    }

    static Cluster start(Path app, Path work) throws Exception {
        deleteRecursively(work);
        ClusterDatabase database = ClusterDatabase.createFresh(ClusterDatabase.serverUrl().orElseThrow());
        int smtpPort = freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Cluster cluster = new Cluster(database, smtp, smtpPort, app, work, Balancer.executable().orElseThrow());
        try {
            cluster.boot();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** One production key for the run, the same on every instance (production refuses to start without one). */
    private static final String TWO_FACTOR_KEY = randomKey();

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * What README tells operators to set for PostgreSQL, SMTP and several instances behind a load
     * balancer; only the values are this machine's.
     */
    private static Map<String, String> environment(String jdbcUrl, int smtpPort, String baseUrl) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", ClusterDatabase.USER);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "");
        environment.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "20");
        environment.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        environment.put("QUARKUS_MAILER_PORT", Integer.toString(smtpPort));
        environment.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        environment.put("QUARKUS_REST_CSRF_TOKEN_SIGNATURE_KEY", "one-key-shared-by-every-instance-0123456789");
        environment.put("PORTAL_TWO_FACTOR_ENCRYPTION_KEY", TWO_FACTOR_KEY);
        environment.put("PORTAL_BASE_URL", baseUrl);
        environment.put("PORTAL_HTTPS", "false");
        environment.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        environment.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
        environment.put("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
        environment.putAll(testSettings());
        return environment;
    }

    /**
     * This test's own settings, on top of README's: the schedules run often so the test need not wait
     * for them; the per-client rate limit (R20) is raised for this test's volume (ten owners inviting
     * twenty people each, all from the balancer's address).
     */
    private static Map<String, String> testSettings() {
        return Map.of(
                "PORTAL_MAIL_OUTBOX_INTERVAL", "1s",
                "PORTAL_MAIL_OUTBOX_BATCH_SIZE", "10",
                "PORTAL_MAIL_OUTBOX_CLAIM_TIMEOUT", "PT10S",
                "PORTAL_BILLING_INVOICE_SCHEDULE", "*/2 * * * * ?",
                // every request reaches the instances from the balancer's one address: the per-client
                // limit (30 an hour) would refuse the two hundred invitations of one test
                "PORTAL_LIMITS_PER_CLIENT", "100000",
                // twenty simultaneous accepts reach instances that have answered only a few requests:
                // the warm-up (AdmissionControlTest) would queue and refuse some of them
                "PORTAL_OVERLOAD_WARM_UP_REQUESTS", "0");
    }

    String url(String path) {
        return balancer.url(path);
    }

    Instance instanceAt(String upstream) {
        return instances.stream().filter(i -> upstream != null && upstream.contains(i.address())).findFirst()
                .orElseThrow(() -> new AssertionError("no instance behind " + upstream));
    }

    /** Restarts a stopped or killed instance with the same settings. */
    void restart(Instance instance) throws Exception {
        instance.start(environment);
        instance.awaitReady(READY_TIMEOUT);
    }

    record Person(long id, long accountId, String email, String name) {
    }

    /** An active user with their account, written directly: sign-up is not what these tests are about. */
    Person person(String prefix, String name) {
        String email = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
        long id = database.id("insert into app_user (email, display_name, password_hash, status, created_at,"
                + " activated_at, password_changed_at) values (?, ?, ?, 'ACTIVE', now(), now(), now()) returning id",
                email, name, passwordHash);
        long accountId = database.id("insert into account (owner_id, display_name, colour, created_at)"
                + " values (?, ?, '#334155', now()) returning id", id, name);
        return new Person(id, accountId, email, name);
    }

    void makeBillable(Person person) {
        database.update("update account set card_holder = ?, card_brand = 'Visa', card_last4 = '4242',"
                + " card_exp_month = 12, card_exp_year = 2099 where id = ?", person.name(), person.accountId());
    }

    static String uniqueEmail(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() + "@example.org";
    }

    /** Every message the SMTP server received for one address. */
    List<MimeMessage> mailsTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equalsIgnoreCase(email)).toList();
    }

    static String recipient(MimeMessage message) {
        try {
            return message.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a mail to the address and returns the absolute link it carries to the given kind of page. */
    String awaitLink(String email, String pathPrefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : mailsTo(email)) {
                Matcher matcher = LINK.matcher(text(message));
                while (matcher.find()) {
                    if (matcher.group(1).startsWith(pathPrefix)) {
                        return matcher.group();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no mail with a " + pathPrefix + " link reached " + email);
    }

    static String text(Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                return (String) part.getContent();
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    text.append(text(multipart.getBodyPart(i)));
                }
                return text.toString();
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (Instance instance : instances) {
            if (instance.alive()) {
                instance.stop();
            }
        }
        smtp.stop();
        database.drop();
    }
}
