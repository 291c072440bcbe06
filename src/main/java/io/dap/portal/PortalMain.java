package io.dap.portal;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the portal. Quarkus checks every request URI before any handler and answers a broken one
 * with a bare 400 (no page, no security headers); web/RequestGuard makes the same check itself and
 * answers with the portal's 400 page, so Quarkus' copy is switched off here, before Quarkus starts
 * (it is read once, when the HTTP layer is loaded). Tests set the same property in the pom.
 */
@QuarkusMain
public class PortalMain {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
