package io.dap.portal.web;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The portal's own settings ({@code portal.*}); README lists each with its default. */
@ConfigMapping(prefix = "portal")
public interface PortalConfig {

    /** Absolute URL the portal is reached at; links in mails are built from it. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /** Served over HTTPS: Secure cookies and HSTS. */
    @WithDefault("false")
    boolean https();

    /** Default number of rows on a paginated list. */
    @WithDefault("25")
    int pageSize();

    /**
     * The hosting company's support staff (R21): addresses of users who may open the operator
     * console, once they sign in with a second factor. Empty by default: nobody.
     */
    java.util.Optional<java.util.List<String>> operators();

    Session session();

    Activation activation();

    PasswordReset passwordReset();

    Invitation invitation();

    interface Invitation {
        /** How long an invitation link works (R8). */
        @WithDefault("P7D")
        Duration tokenTtl();
    }

    Password password();

    Overload overload();

    interface Overload {
        /** Requests worked on at once; more wait in line (AdmissionControl). */
        @WithDefault("16")
        int maxConcurrentRequests();

        /** Requests that may wait for their turn; beyond them the answer is an immediate 503. */
        @WithDefault("64")
        int maxQueuedRequests();

        /** How long a request waits for its turn before it is answered 503. */
        @WithDefault("PT1S")
        Duration maxWait();

        /**
         * Requests answered after a start before the full concurrency applies; 0 turns the warm-up
         * off. The first requests each teach Hibernate a query (tens of megabytes of parser state
         * per thread), which many at once on a small heap turn into minutes of garbage collection.
         */
        @WithDefault("200")
        int warmUpRequests();

        /** Requests worked on at once during the warm-up. */
        @WithDefault("2")
        int warmUpConcurrentRequests();

        /**
         * Whether the first visit of each page runs alone, the next ones waiting until it is
         * answered (FirstVisitGate): a page's first request teaches Hibernate its queries.
         */
        @WithDefault("true")
        boolean firstVisitsAlone();
    }

    Impersonation impersonation();

    interface Impersonation {
        /** How long an impersonation lasts (R10); at most one hour, whatever is set. */
        @WithDefault("PT1H")
        Duration maxDuration();
    }

    Login login();

    Mail mail();

    Billing billing();

    Drives drives();

    ApiTokens apiTokens();

    Limits limits();

    /** R20: limits on every action that sends mail or creates something others can use. */
    interface Limits {
        /** The fixed window every limit counts over. */
        @WithDefault("PT1H")
        Duration window();

        /** Mails from the limited actions that one address receives per window, whoever asks. */
        @WithDefault("5")
        int perRecipient();

        /** Requests of each limited action from one client address per window. */
        @WithDefault("30")
        int perClient();

        /** Invitations (new or sent again) one person sends per window, pages and API together. */
        @WithDefault("50")
        int invitationsPerActor();

        /** API tokens one person creates per window. */
        @WithDefault("10")
        int apiTokensPerActor();

        /** Changes of email address one person starts per window. */
        @WithDefault("3")
        int emailChangesPerActor();
    }

    interface ApiTokens {
        /** The latest expiry a new API token may have, counted from its creation. */
        @WithDefault("P365D")
        Duration maxLifetime();

        /** Whether a token may be created without an expiry. */
        @WithDefault("false")
        boolean allowNoExpiry();
    }

    TwoFactor twoFactor();

    interface TwoFactor {
        /**
         * AES-256 key (base64 of 32 random bytes) that encrypts TOTP secrets at rest. Required in
         * production; dev and test profiles carry their own (public) keys, which production refuses.
         */
        java.util.Optional<String> encryptionKey();

        /** The name authenticator apps show next to the account. */
        @WithDefault("Delegated-access portal")
        String issuer();

        /** How long the code page waits after a correct password before the password is asked again. */
        @WithDefault("PT5M")
        Duration signInTimeout();

        /** Wrong codes for one person, from any client, within the sign-in window before codes wait. */
        @WithDefault("10")
        int maxCodeFailuresPerUser();
    }

    interface Billing {
        /** Price of one GB-hour of provisioned drive, in {@link #currency()}. */
        @WithDefault("0.00014")
        java.math.BigDecimal gbHourPrice();

        /** ISO 4217 code shown on reports and invoices. */
        @WithDefault("EUR")
        String currency();

        /** Quartz-style cron (UTC) of the run that issues the invoices of completed months. */
        @WithDefault("0 5 0 * * ?")
        String invoiceSchedule();
    }

    interface Drives {
        @WithDefault("1")
        int minSizeGb();

        @WithDefault("16384")
        int maxSizeGb();
    }

    interface Session {
        @WithDefault("portal_session")
        String cookieName();

        @WithDefault("PT30M")
        Duration idleTimeout();

        @WithDefault("PT12H")
        Duration absoluteTimeout();
    }

    interface Activation {
        @WithDefault("PT48H")
        Duration tokenTtl();
    }

    interface PasswordReset {
        @WithDefault("PT1H")
        Duration tokenTtl();
    }

    interface Password {
        /** argon2id memory cost in KiB (OWASP: 7 MiB with five passes, or 19 MiB with two). */
        @WithName("argon2.memory-kib")
        @WithDefault("7168")
        int argon2MemoryKib();

        /** argon2id passes over the memory. */
        @WithName("argon2.iterations")
        @WithDefault("5")
        int argon2Iterations();

        /** argon2id lanes. */
        @WithName("argon2.parallelism")
        @WithDefault("1")
        int argon2Parallelism();

        /**
         * Threads that compute password hashes at once, at the lowest thread priority; sign-ins beyond
         * them wait in line, and the pages keep the rest of the CPU.
         */
        @WithDefault("2")
        int hashingThreads();

        /** Password checks that may wait for a hashing thread; beyond them a sign-in is answered 503 at once. */
        @WithDefault("32")
        int hashingQueue();
    }

    interface Login {
        @WithDefault("PT15M")
        Duration window();

        @WithDefault("5")
        int maxFailuresPerAccount();

        @WithDefault("50")
        int maxFailuresPerAddress();
    }

    interface Mail {
        String from();

        Outbox outbox();

        interface Outbox {
            @WithDefault("5s")
            String interval();

            @WithDefault("20")
            int batchSize();

            @WithDefault("8")
            int maxAttempts();

            @WithDefault("PT30S")
            Duration initialBackoff();

            /**
             * How long a claimed mail stays with the instance sending it; if that instance dies before
             * recording the outcome, another one sends the mail after this.
             */
            @WithDefault("PT2M")
            Duration claimTimeout();

            /** How long one delivery may take before it counts as failed (and is retried later). */
            @WithDefault("PT30S")
            Duration sendTimeout();
        }
    }
}
