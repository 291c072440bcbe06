package io.dap.portal.api;

import static io.dap.portal.api.ApiFixtures.api;
import static io.dap.portal.api.ApiFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.account.Drive;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Refused input is a 400 problem naming the fields, an odd request a problem of its own status; never a 500. */
@QuarkusTest
class ApiValidationTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures fixtures;

    private static void assertProblem(Response response, int status, Set<String> fields, String what) {
        assertEquals(status, response.statusCode(), what + ": " + response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), what + ": " + response.contentType());
        assertEquals(status, response.jsonPath().getInt("status"), what);
        assertNotNull(response.jsonPath().getString("title"), what);
        if (!fields.isEmpty()) {
            Map<String, String> errors = response.jsonPath().getMap("errors");
            assertEquals(fields, errors.keySet(), what);
            errors.values().forEach(message -> assertTrue(!message.isBlank(), what));
        }
    }

    @Test
    void invalidFieldsAreNamedAndNothingIsWritten() {
        User owner = users.active("api-invalid");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Valid");
        String token = fixtures.global(owner);
        String base = "/api/v1/accounts/" + account + "/infrastructures";
        String one = base + "/" + infrastructure.id;

        assertProblem(json(token, Map.of()).post(base), 400, Set.of("label"), "empty object");
        assertProblem(json(token, Map.of("label", "x".repeat(101), "description", "y".repeat(1001))).post(base), 400,
                Set.of("label", "description"), "too long");
        assertProblem(json(token, Map.of("label", "  ")).put(one), 400, Set.of("label"), "blank label on edit");
        assertProblem(json(token, Map.of("label", "", "sizeGb", 0)).post(one + "/drives"), 400,
                Set.of("label", "sizeGb"), "drive");
        assertProblem(json(token, Map.of("label", "disk", "sizeGb", 1_000_000)).post(one + "/drives"), 400,
                Set.of("sizeGb"), "drive too large");
        assertProblem(json(token, Map.of("email", "not an address", "role", "OWNER", "until", "2001-01-01"))
                .post(one + "/grants"), 400, Set.of("email", "role", "until"), "invite");
        assertProblem(json(token, Map.of("email", "x@example.org", "role", "ACCOUNT_ADMINISTRATOR"))
                .post(one + "/grants"), 400, Set.of("role"), "an account role is not an infrastructure role");
        assertProblem(json(token, Map.of("email", owner.email, "role", "INFRASTRUCTURE_READ_ONLY"))
                .post(one + "/grants"), 400, Set.of("email"), "the owner cannot be invited");
        assertProblem(api(token).get(base + "?page=abc&size=1000"), 400, Set.of("page", "size"), "paging");
        assertProblem(api(token).get("/api/v1/accounts/" + account + "/usage?from=2026-13"), 400,
                Set.of("from", "to"), "usage period");

        assertEquals("Valid", QuarkusTransaction.requiringNew()
                .call(() -> Infrastructure.<Infrastructure>findById(infrastructure.id).label));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id",
                account)));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Drive.count("infrastructure.id",
                infrastructure.id)));
    }

    @Test
    void unreadableBodiesAndOddRequestsAreProblemsNever500() {
        User owner = users.active("api-odd");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Odd");
        Drive running = accounts.pendingDrive(infrastructure.id, "disk", 10);
        accounts.makeBillable(account);
        String token = fixtures.global(owner);
        String base = "/api/v1/accounts/" + account + "/infrastructures";
        String one = base + "/" + infrastructure.id;

        assertProblem(api(token).contentType("application/json").body("{\"label\": ").post(base), 400,
                Set.of("body"), "malformed JSON");
        assertProblem(api(token).contentType("application/json").body("[1, 2]").post(base), 400, Set.of(),
                "an array instead of an object");
        assertProblem(json(token, Map.of("label", "disk", "sizeGb", "big")).post(one + "/drives"), 400,
                Set.of("sizeGb"), "a word for a number");
        assertProblem(json(token, Map.of("label", List.of("a"))).post(base), 400, Set.of("label"),
                "a list for a string");
        assertProblem(api(token).contentType("application/json").post(base), 400, Set.of("label"), "no body");
        assertProblem(api(token).contentType("text/plain").body("label=x").post(base), 415, Set.of(), "text body");
        assertProblem(api(token).get("/api/v1/nothing-here"), 404, Set.of(), "unknown path");
        assertProblem(api(token).get("/api"), 404, Set.of(), "the bare prefix");
        Response patch = api(token).patch(one);
        assertProblem(patch, patch.statusCode() == 405 ? 405 : 404, Set.of(), "unsupported method");
        for (String id : List.of("abc", "-1", "0", "1.5", "99999999999999999999", "999999999")) {
            assertProblem(api(token).get(base + "/" + id), 404, Set.of(), "infrastructure id " + id);
            assertProblem(api(token).get("/api/v1/accounts/" + id + "/infrastructures"), 404, Set.of(),
                    "account id " + id);
            assertProblem(json(token, Map.of("label", "d", "sizeGb", 5)).put(one + "/drives/" + id), 404, Set.of(),
                    "drive id " + id);
        }
        assertProblem(api(token).delete(one + "/grants/999999999"), 404, Set.of(), "unknown grant");

        // a running drive keeps its size: a conflict, named
        assertEquals(200, api(token).contentType("application/json").post(one + "/deploy").statusCode());
        assertProblem(json(token, Map.of("label", "disk", "sizeGb", 20)).put(one + "/drives/" + running.id), 409,
                Set.of("sizeGb"), "resize a running drive");
        assertEquals(200, json(token, Map.of("label", "renamed", "sizeGb", 10)).put(one + "/drives/" + running.id)
                .statusCode());

        // the pages' error pages are still HTML
        io.dap.portal.support.Browser browser = new io.dap.portal.support.Browser().signIn(owner.email,
                Users.PASSWORD);
        Response page = browser.get("/accounts/" + account + "/infrastructures/999999999");
        assertEquals(404, page.statusCode());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        Response unknown = browser.get("/no-such-page");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.contentType().startsWith("text/html"), unknown.contentType());
    }
}
