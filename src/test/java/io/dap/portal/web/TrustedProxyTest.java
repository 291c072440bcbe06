package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.dap.portal.audit.AuditEvent;
import io.dap.portal.support.Browser;
import io.dap.portal.support.RawHttp;
import io.dap.portal.support.Users;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Behind a load balancer the client's address comes from X-Forwarded-For, but only when the
 * connection comes from a trusted proxy (quarkus.http.proxy.trusted-proxies; 127.0.0.1 in tests).
 * Anyone else's X-Forwarded-For is ignored: the audit trail and the limits see the real sender.
 */
@QuarkusTest
class TrustedProxyTest {

    private static final Pattern CSRF_COOKIE = Pattern.compile("portal_csrf=([^;]+)");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");

    @Test
    void theForwardedAddressCountsWhenATrustedProxySendsIt() {
        String email = Users.uniqueEmail("via-proxy");
        new Browser().from("203.0.113.77").post("/login", "email", email, "password", "not the password")
                .then().statusCode(303);
        assertEquals("203.0.113.77", failedSignInAddress(email));
    }

    @Test
    void aForwardedAddressFromAnyoneElseIsIgnored() {
        String email = Users.uniqueEmail("spoofed");
        String from = "127.0.0.2";
        RawHttp.Reply page = RawHttp.send(from, "GET", "/login", "X-Forwarded-For: 203.0.113.78", null);
        Matcher cookie = CSRF_COOKIE.matcher(page.header("Set-Cookie"));
        Matcher field = CSRF_FIELD.matcher(page.body());
        assertTrue(cookie.find() && field.find(), page.toString());
        String form = "email=" + email + "&password=wrong&csrf_token=" + field.group(1);
        RawHttp.Reply reply = RawHttp.send(from, "POST", "/login", "X-Forwarded-For: 203.0.113.78\nCookie: portal_csrf="
                + cookie.group(1) + "\nContent-Type: application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.UTF_8));
        assertEquals(303, reply.status(), reply.toString());
        assertEquals(from, failedSignInAddress(email), "the sender, not what it claimed");
    }

    private static String failedSignInAddress(String email) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "userEmail = ?1 and action = ?2", email, "LOGIN_FAILED").firstResult().clientAddress);
    }
}
