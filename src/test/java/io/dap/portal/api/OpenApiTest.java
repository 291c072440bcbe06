package io.dap.portal.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The OpenAPI document: public, every /api/v1 operation with the bearer scheme, and nothing of the pages. */
@QuarkusTest
class OpenApiTest {

    @Test
    void theDocumentDescribesEveryApiEndpointAndOnlyThose() {
        Response response = given().redirects().follow(false).accept("application/json").get("/q/openapi?format=json");
        assertEquals(200, response.statusCode(), "reachable without signing in");
        Map<String, Map<String, Object>> paths = response.jsonPath().getMap("paths");
        String infrastructures = "/api/v1/accounts/{accountId}/infrastructures";
        String one = infrastructures + "/{infrastructureId}";
        Map<String, Set<String>> expected = Map.of(
                "/api/v1/accounts", Set.of("get"),
                "/api/v1/accounts/{accountId}/usage", Set.of("get"),
                infrastructures, Set.of("get", "post"),
                one, Set.of("get", "put", "delete"),
                one + "/deploy", Set.of("post"),
                one + "/drives", Set.of("post"),
                one + "/drives/{driveId}", Set.of("put", "delete"),
                one + "/grants", Set.of("get", "post"),
                one + "/grants/{grantId}", Set.of("delete"));
        assertEquals(expected.keySet(), paths.keySet(), "only the API, no page");
        expected.forEach((path, methods) -> assertEquals(methods, paths.get(path).keySet(), path));
        assertEquals("bearer", response.jsonPath().getString("components.securitySchemes.apiToken.scheme"));
        assertEquals("http", response.jsonPath().getString("components.securitySchemes.apiToken.type"));
        assertTrue(response.jsonPath().getList("paths.'/api/v1/accounts'.get.security.apiToken").size() == 1,
                response.jsonPath().getString("paths.'/api/v1/accounts'.get.security"));
    }
}
