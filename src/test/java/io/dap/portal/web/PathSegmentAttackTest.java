package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.access.Role;
import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.RawHttp;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A child id that is a dot segment must never reach the parent: the router resolves
 * {@code …/drives/%2e%2e} to the infrastructure itself, so {@code DELETE …/drives/%2e%2e} used to
 * delete the whole infrastructure and {@code PUT} rename it. Every such path answers 404, like an
 * unknown id, and nothing changes.
 */
@QuarkusTest
class PathSegmentAttackTest {

    private static final List<String> DOT_SEGMENTS = List.of("%2e%2e", "%2E%2E", "..", ".%2e", "%2e.", "%2e%2e;x",
            "..;x", "%2e", ".");

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    User owner;
    Long accountId;
    Infrastructure infrastructure;
    Drive drive;
    String token;
    Long grantId;

    @BeforeEach
    void setUp() {
        owner = users.active("dots");
        accountId = accounts.accountOf(owner);
        infrastructure = accounts.infrastructure(accountId, owner, "Precious");
        drive = accounts.pendingDrive(infrastructure.id, "data", 10);
        token = api.global(owner);
        grantId = api.infrastructureGrant(infrastructure, users.active("dots-delegate"),
                Role.INFRASTRUCTURE_READ_ONLY);
    }

    @Test
    void apiDeleteOfADotSegmentDriveIsNotFoundAndTheInfrastructureStays() {
        String base = "/api/v1/accounts/" + accountId + "/infrastructures/" + infrastructure.id;
        for (String dots : DOT_SEGMENTS) {
            assertRefused(RawHttp.send("DELETE", base + "/drives/" + dots, bearer(), (byte[]) null), dots);
            assertRefused(RawHttp.send("PUT", base + "/drives/" + dots, bearer() + "\nContent-Type: application/json",
                    "{\"label\":\"Renamed\",\"sizeGb\":5}"), dots);
            assertRefused(RawHttp.send("DELETE", base + "/grants/" + dots, bearer(), (byte[]) null), dots);
            assertRefused(RawHttp.send("GET", base + "/drives/" + dots, bearer(), (byte[]) null), dots);
        }
        assertIntact();
    }

    @Test
    void pagePostsThroughADotSegmentAreNotFoundSignedInOrNot() {
        Browser browser = new Browser().signIn(owner.email, Users.PASSWORD);
        browser.get("/accounts/" + accountId + "/infrastructures/" + infrastructure.id);
        String form = "csrf_token=" + browser.csrfToken();
        String base = "/accounts/" + accountId + "/infrastructures/" + infrastructure.id;
        for (String dots : DOT_SEGMENTS) {
            for (String cookies : new String[] { browser.cookieHeader(), "" }) {
                String headers = cookies + (cookies.isEmpty() ? "" : "\n")
                        + "Content-Type: application/x-www-form-urlencoded";
                assertRefused(RawHttp.send("POST", base + "/drives/" + dots + "/delete", headers, form), dots);
                assertRefused(RawHttp.send("POST", base + "/sharing/" + grantId + "/" + dots + "/" + dots + "/delete",
                        headers, form), dots);
                assertRefused(RawHttp.send("POST", "/accounts/" + accountId + "/sharing/former-keys/" + dots
                        + "/remove", headers, form), dots);
                assertRefused(RawHttp.send("GET", base + "/drives/" + dots, cookies, (byte[]) null), dots);
            }
        }
        assertIntact();
    }

    @Test
    void encodedNulSlashAndBackslashInASegmentAreNotFound() {
        String base = "/api/v1/accounts/" + accountId + "/infrastructures/";
        for (String id : List.of("%00", infrastructure.id + "%00", "%2f", infrastructure.id + "%2F..", "%5c", "a%0ab")) {
            assertRefused(RawHttp.send("DELETE", base + id, bearer(), (byte[]) null), id);
        }
        assertIntact();
    }

    private String bearer() {
        return "Authorization: Bearer " + token;
    }

    private static void assertRefused(RawHttp.Reply reply, String segment) {
        assertEquals(404, reply.status(), segment + ": " + reply);
        assertTrue(reply.hasSecurityHeaders(), segment + ": " + reply);
    }

    private void assertIntact() {
        QuarkusTransaction.requiringNew().run(() -> {
            Infrastructure found = Infrastructure.findById(infrastructure.id);
            assertNull(found.deletedAt, "the infrastructure was not deleted");
            assertEquals("Precious", found.label, "nor renamed");
            Drive stored = Drive.findById(drive.id);
            assertEquals("data", stored.label);
            assertEquals(Drive.Status.PENDING, stored.status, "the drive is untouched");
            assertEquals(Grant.Status.ACCEPTED, Grant.<Grant>findById(grantId).status, "the grant holds");
        });
    }
}
