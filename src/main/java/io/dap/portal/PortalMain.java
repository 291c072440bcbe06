package io.dap.portal;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the portal, after two process-wide settings that must be in place before the code that
 * reads them loads. Tests and dev mode set the same two in the pom.
 * <ul>
 * <li>Quarkus checks every request URI before any handler and answers a broken one with a bare 400
 * (no page, no security headers); web/RequestGuard makes the same check itself and answers with the
 * portal's 400 page, so Quarkus' copy is switched off (read once, when the HTTP layer loads).
 * <li>The embedded H2 database keeps the statements it has parsed, per connection, in a cache of 8 by
 * default. One page runs up to 14 different statements with the header, so with 8 every statement
 * was parsed again on every request, and each parsed statement lived just long enough to be promoted
 * to the old generation before it was evicted: {@link #H2_QUERY_CACHE_SIZE} instead. A setting in
 * the database URL, or this system property given on the command line, still wins.
 * </ul>
 */
@QuarkusMain
public class PortalMain {

    /** Statements H2 keeps parsed per connection; see README › Running in production. */
    static final String H2_QUERY_CACHE_SIZE = "64";

    public static void main(String... args) {
        processSettings();
        Quarkus.run(args);
    }

    static void processSettings() {
        System.setProperty("vertx.disableURIValidation", "true");
        if (System.getProperty("h2.queryCacheSize") == null) {
            System.setProperty("h2.queryCacheSize", H2_QUERY_CACHE_SIZE);
        }
    }
}
