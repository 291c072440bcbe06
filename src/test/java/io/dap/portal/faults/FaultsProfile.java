package io.dap.portal.faults;

import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.h2.tools.Server;

import io.dap.portal.support.FakeSmtp;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The portal against a database it reaches over TCP (an H2 server in this JVM that a test can stop
 * and start under the running application) and a real SMTP client talking to {@link FakeSmtp}.
 * A small pool and short timeouts keep the waits of the fault tests short.
 */
public class FaultsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Servers.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.max-size", "4");
        config.put("quarkus.datasource.jdbc.acquisition-timeout", "PT2S");
        config.put("quarkus.mailer.mock", "false");
        config.put("quarkus.mailer.start-tls", "DISABLED");
        config.put("quarkus.mailer.keep-alive", "false");
        // Long enough for a first send on a loaded two-core machine (2 s was not: a delivered mail was
        // counted as timed out); the hanging-server test waits this long once.
        config.put("portal.mail.outbox.send-timeout", "PT10S");
        return withTestProfileKeys(config);
    }

    /** The application's own %test keys would win over plain ones: set both. */
    static Map<String, String> withTestProfileKeys(Map<String, String> config) {
        Map<String, String> both = new HashMap<>(config);
        config.forEach((key, value) -> both.put("%test." + key, value));
        return both;
    }

    /** The database server and the mail server the profile points at, started before the application. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {

        static volatile Server database;
        static volatile int databasePort;
        static volatile FakeSmtp smtp;

        @Override
        public Map<String, String> start() {
            try (ServerSocket probe = new ServerSocket(0)) {
                databasePort = probe.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            startDatabase();
            smtp = new FakeSmtp();
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.datasource.jdbc.url", "jdbc:h2:tcp://127.0.0.1:" + databasePort
                    + "/mem:portal-faults;DB_CLOSE_DELAY=-1");
            config.put("quarkus.mailer.host", "127.0.0.1");
            config.put("quarkus.mailer.port", String.valueOf(smtp.port()));
            return withTestProfileKeys(config);
        }

        @Override
        public void stop() {
            if (database != null) {
                database.stop();
            }
            if (smtp != null) {
                smtp.close();
            }
        }

        /** Starts (or starts again) the TCP server on the same port; the in-memory database outlives it. */
        static synchronized void startDatabase() {
            try {
                database = Server.createTcpServer("-tcpPort", String.valueOf(databasePort), "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stops the server: every open connection breaks and new ones are refused. */
        static synchronized void stopDatabase() {
            database.stop();
        }
    }
}
