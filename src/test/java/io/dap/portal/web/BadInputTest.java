package io.dap.portal.web;

import static io.dap.portal.api.ApiFixtures.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.access.Grant;
import io.dap.portal.account.Infrastructure;
import io.dap.portal.api.ApiFixtures;
import io.dap.portal.support.Accounts;
import io.dap.portal.support.Browser;
import io.dap.portal.support.RawHttp;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The causes of the 500s an outside fuzz run found, one test each, plus the errors the HTTP layer
 * answered without our page or headers. Each asserts the status, our page or problem body with the
 * security headers, and that nothing was written.
 */
@QuarkusTest
class BadInputTest {

    @Inject
    Users users;

    @Inject
    Accounts accounts;

    @Inject
    ApiFixtures api;

    /** A signed-in browser on its profile page, and the raw header lines to post as it. */
    private record Session(User user, Browser browser, String headers, String csrf) {

        String form(String fields) {
            return fields + "&csrf_token=" + csrf;
        }
    }

    private Session signedIn(String prefix) {
        User user = users.active(prefix);
        Browser browser = new Browser().signIn(user.email, Users.PASSWORD);
        browser.get("/settings/profile");
        return new Session(user, browser, browser.cookieHeader(), browser.csrfToken());
    }

    private static void assertPage(RawHttp.Reply reply, int status) {
        assertEquals(status, reply.status(), reply.toString());
        assertTrue(reply.hasSecurityHeaders(), reply.toString());
        assertTrue(reply.header("Content-Type").startsWith("text/html"), reply.toString());
        assertTrue(reply.body().contains("<p class=\"error-code\">" + status + "</p>"), reply.toString());
        assertFalse(reply.body().contains("Exception") || reply.body().contains("\tat "), reply.toString());
    }

    private static void assertProblem(RawHttp.Reply reply, int status) {
        assertEquals(status, reply.status(), reply.toString());
        assertTrue(reply.hasSecurityHeaders(), reply.toString());
        assertTrue(reply.header("Content-Type").startsWith("application/problem+json"), reply.toString());
        assertTrue(reply.body().contains("\"status\":" + status), reply.toString());
    }

    private static String displayName(User user) {
        return QuarkusTransaction.requiringNew().call(() -> User.<User>findById(user.id).displayName);
    }

    @Test
    void aBrokenPercentEscapeOrBinaryInAFormBodyIs400() {
        Session session = signedIn("bad-escape");
        String form = "Content-Type: application/x-www-form-urlencoded";
        for (String body : new String[] { "displayName=%G1%", "displayName=%", "displayName=ab%2", "%ZZ=1" }) {
            assertPage(RawHttp.send("POST", "/settings/profile", session.headers() + "\n" + form,
                    session.form(body)), 400);
        }
        byte[] binary = session.form("displayName=").getBytes(StandardCharsets.UTF_8);
        byte[] withBytes = new byte[binary.length + 3];
        System.arraycopy(binary, 0, withBytes, 3, binary.length);
        withBytes[0] = (byte) 0xff;
        withBytes[1] = (byte) 0xfe;
        withBytes[2] = '&';
        RawHttp.Reply reply = RawHttp.send("POST", "/settings/profile", session.headers() + "\n" + form, withBytes);
        assertTrue(reply.status() == 303 || reply.status() == 400, reply.toString());
        assertEquals(session.user().displayName, displayName(session.user()), "the name is unchanged");
        // sign-in, signed out
        assertPage(RawHttp.send("POST", "/login", form, "email=%G1%&password=x"), 400);
    }

    @Test
    void moreThanAThousandFormFieldsIs413() {
        Session session = signedIn("many-fields");
        StringBuilder body = new StringBuilder("displayName=Changed");
        for (int i = 0; i < 1100; i++) {
            body.append("&f").append(i).append("=1");
        }
        assertPage(RawHttp.send("POST", "/settings/profile", session.headers()
                + "\nContent-Type: application/x-www-form-urlencoded", session.form(body.toString())), 413);
        assertEquals(session.user().displayName, displayName(session.user()));
    }

    @Test
    void aFormBodyInAnotherCharsetOrWithABrokenContentTypeIs415() {
        Session session = signedIn("charset");
        for (String type : new String[] { "application/x-www-form-urlencoded; charset=x-bogus",
                "application/x-www-form-urlencoded; charset=\"\"", "application/x-www-form-urlencoded; charset=+",
                "application/x-www-form-urlencoded;;;==;charset", "application/x-www-form-urlencoded; charset",
                "application/x-www-form-urlencoded; charset=utf-8; charset=utf-8", "x-www-form-urlencoded" }) {
            assertPage(RawHttp.send("POST", "/settings/profile", session.headers() + "\nContent-Type: " + type,
                    session.form("displayName=Changed%C3%A9")), 415);
        }
        assertEquals(session.user().displayName, displayName(session.user()));
        // the quoted and upper-case spellings of UTF-8 are fine
        RawHttp.Reply fine = RawHttp.send("POST", "/settings/profile", session.headers()
                + "\nContent-Type: application/x-www-form-urlencoded; charset=\"UTF-8\"",
                session.form("displayName=Chang%C3%A9"));
        assertEquals(303, fine.status(), fine.toString());
        assertEquals("Changé", displayName(session.user()));
        // a form in a charset that exists is read in it
        RawHttp.Reply latin = RawHttp.send("POST", "/settings/profile", session.headers()
                + "\nContent-Type: application/x-www-form-urlencoded; charset=ISO-8859-1",
                session.form("displayName=Cr%E8me"));
        assertEquals(303, latin.status(), latin.toString());
        assertEquals("Crème", displayName(session.user()));
    }

    @Test
    void aForgedFlashCookieOfTheWrongShapeIsIgnored() {
        for (String json : new String[] { "{\"message\":1,\"errors\":\"x\",\"values\":[1]}",
                "{\"message\":\"Hi\",\"errors\":{\"email\":{\"a\":1}}}", "{\"kind\":[],\"message\":\"x\"}",
                "[1,2]", "{\"values\":{\"email\":null}}", "{\"other\":\"x\"}" }) {
            String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
            RawHttp.Reply reply = RawHttp.send("GET", "/signup", "Cookie: portal_flash=" + cookie, (byte[]) null);
            assertEquals(200, reply.status(), json + ": " + reply);
            assertTrue(reply.hasSecurityHeaders());
            assertFalse(reply.body().contains("class=\"flash"), "no message from a forged cookie: " + json);
        }
    }

    @Test
    void aMalformedAcceptOrAcceptLanguageHeaderGetsThePage() {
        for (String accept : new String[] { "*/*;q=x", "text/html;q=2", "text/html;q=", ";;", "text", "*/*;q=0.5x" }) {
            RawHttp.Reply reply = RawHttp.send("GET", "/login", "Accept: " + accept, (byte[]) null);
            assertEquals(200, reply.status(), accept + ": " + reply);
            assertTrue(reply.hasSecurityHeaders());
            assertTrue(reply.body().contains("name=\"password\""), "the sign-in page itself: " + accept);
        }
        for (String languages : new String[] { ";;;=", "en;q=x", "*;q=2", "1234567890" }) {
            RawHttp.Reply reply = RawHttp.send("GET", "/signup", "Accept-Language: " + languages, (byte[]) null);
            assertEquals(200, reply.status(), languages + ": " + reply);
            assertTrue(reply.body().contains("name=\"displayName\""));
        }
        assertEquals(200, RawHttp.send("GET", "/login", "Accept-Language: en-GB,en;q=0.9,*;q=0.1", (byte[]) null)
                .status(), "an ordinary one is kept");
        String token = api.global(users.active("api-accept"));
        RawHttp.Reply json = RawHttp.send("GET", "/api/v1/accounts", "Accept: */*;q=x\nAuthorization: Bearer "
                + token, (byte[]) null);
        assertEquals(200, json.status(), json.toString());
    }

    @Test
    void anEndDateBeyondTheCalendarIsAFieldError() {
        Session session = signedIn("far-future");
        Long account = accounts.accountOf(session.user());
        Infrastructure infrastructure = accounts.infrastructure(account, session.user(), "Dated");
        for (String until : new String[] { "+999999999-12-31", "-999999999-01-01", "99999-01-01", "2026-02-30",
                "2026-1-1", " 2026-12-31x" }) {
            String invitee = Users.uniqueEmail("far");
            Response page = session.browser().post("/accounts/" + account + "/sharing/invite", "email", invitee,
                    "role", "ACCOUNT_READ_ONLY", "until", until);
            assertEquals(303, page.statusCode(), until);
            Response back = session.browser().follow(page);
            assertTrue(back.asString().contains("Enter a date like 2026-12-31."), until);
            Response infra = session.browser().post("/accounts/" + account + "/infrastructures/" + infrastructure.id
                    + "/sharing/invite", "email", invitee, "role", "INFRASTRUCTURE_READ_ONLY", "until", until);
            assertEquals(303, infra.statusCode(), until);
            Response apiInvite = ApiFixtures.json(api.global(session.user()), Map.of("email", invitee, "role",
                    "INFRASTRUCTURE_READ_ONLY", "until", until)).post("/api/v1/accounts/" + account
                            + "/infrastructures/" + infrastructure.id + "/grants");
            assertEquals(400, apiInvite.statusCode(), until + ": " + apiInvite.asString());
            assertEquals("Enter a date like 2026-12-31.", apiInvite.jsonPath().getString("errors.until"));
            assertEquals(0L, grantsTo(invitee), "nothing was written for " + until);
        }
    }

    @Test
    void aJsonFieldNamedTwiceIs400NamingIt() {
        User owner = users.active("dup-json");
        Long account = accounts.accountOf(owner);
        Infrastructure infrastructure = accounts.infrastructure(account, owner, "Single");
        String token = api.global(owner);
        String base = "/api/v1/accounts/" + account + "/infrastructures";
        String headers = "Authorization: Bearer " + token + "\nContent-Type: application/json";
        RawHttp.Reply create = RawHttp.send("POST", base, headers, "{\"label\":\"a\",\"label\":\"b\"}");
        assertProblem(create, 400);
        assertTrue(create.body().contains("\"label\":\"This field appears more than once.\""), create.toString());
        assertProblem(RawHttp.send("PUT", base + "/" + infrastructure.id, headers,
                "{\"label\":\"a\",\"description\":\"x\",\"description\":\"y\"}"), 400);
        assertProblem(RawHttp.send("POST", base + "/" + infrastructure.id + "/drives", headers,
                "{\"label\":\"d\",\"sizeGb\":1,\"sizeGb\":2}"), 400);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Infrastructure.count("account.id",
                account)));
        assertEquals("Single", QuarkusTransaction.requiringNew().call(
                () -> Infrastructure.<Infrastructure>findById(infrastructure.id).label));
        // JSON in another charset is refused before it is read
        assertProblem(RawHttp.send("POST", base, "Authorization: Bearer " + token
                + "\nContent-Type: application/json; charset=x-bogus", "{\"label\":\"a\"}"), 415);
    }

    @Test
    void aMalformedInvitationTokenIsNotFoundSignedOutOrIn() {
        Session session = signedIn("bad-token");
        // signed out, but with the CSRF cookie any visit to a page leaves
        Browser visitor = new Browser();
        visitor.get("/login");
        String signedOut = visitor.cookieHeader();
        for (String token : new String[] { "a%00b", "a%20b", "a%22b", "a%5Cb", "a%27b", "x".repeat(5000),
                "%3Cscript%3E", "a%0d%0aSet-Cookie:%20x=1" }) {
            for (String action : new String[] { "/accept", "/decline", "/activate", "" }) {
                for (String cookies : new String[] { signedOut, session.headers() }) {
                    String method = action.isEmpty() ? "GET" : "POST";
                    String body = action.isEmpty() ? null : "csrf_token="
                            + (cookies == signedOut ? visitor.csrfToken() : session.csrf());
                    RawHttp.Reply reply = RawHttp.send(method, "/invitations/" + token + action, cookies
                            + "\nContent-Type: application/x-www-form-urlencoded", body);
                    assertEquals(404, reply.status(), token + action + ": " + reply);
                    assertTrue(reply.hasSecurityHeaders());
                    assertFalse(reply.headers().containsKey("location"));
                }
            }
        }
    }

    @Test
    void aRequestTargetOverEightKiBIs414WithOurPageAndAFiveThousandCharacterIdIs404() {
        Session session = signedIn("long");
        assertPage(RawHttp.send("GET", "/accounts/" + "1".repeat(9_000), "", (byte[]) null), 414);
        assertPage(RawHttp.send("GET", "/login?next=" + "a".repeat(9_000), "", (byte[]) null), 414);
        assertProblem(RawHttp.send("GET", "/api/v1/accounts/" + "1".repeat(9_000), "", (byte[]) null), 414);
        RawHttp.Reply longId = RawHttp.send("GET", "/accounts/" + "1".repeat(5_000) + "/infrastructures",
                session.headers(), (byte[]) null);
        assertEquals(404, longId.status(), longId.toString());
        assertTrue(longId.hasSecurityHeaders());
        assertEquals(404, RawHttp.send("POST", "/accounts/" + accounts.accountOf(session.user())
                + "/infrastructures/" + "9".repeat(5_000) + "/delete", session.headers()
                + "\nContent-Type: application/x-www-form-urlencoded", session.form("x=1")).status());
    }

    @Test
    void aBrokenPercentEscapeOrIllegalCharacterInTheAddressIs400WithOurPage() {
        for (String target : new String[] { "/accounts/%G1", "/login?next=%", "/a%zz", "/invitations/a\"b",
                "/login?x=a|b", "/settings/a{b}" }) {
            assertPage(RawHttp.send("GET", target, "", (byte[]) null), 400);
        }
        assertProblem(RawHttp.send("GET", "/api/v1/accounts/%G1", "", (byte[]) null), 400);
    }

    /** PostgreSQL refuses a NUL in any parameter: a search for one failed there with a 500. */
    @Test
    void aNulCharacterInTheQueryStringIs400BeforeAnySearchRuns() {
        Session session = signedIn("nul");
        Long account = accounts.accountOf(session.user());
        for (String target : new String[] { "/switch?q=a%00b", "/accounts/" + account + "/infrastructures?q=%00",
                "/accounts/" + account + "/audit?user=x%00" }) {
            assertPage(RawHttp.send("GET", target, session.headers(), (byte[]) null), 400);
        }
        assertProblem(RawHttp.send("GET", "/api/v1/accounts?q=%00", "", (byte[]) null), 400);
        // a zero that is not an escape of NUL still searches
        assertEquals(200, RawHttp.send("GET", "/switch?q=100%25", session.headers(), (byte[]) null).status());
        assertEquals(200, RawHttp.send("GET", "/switch?q=a%300", session.headers(), (byte[]) null).status());
    }

    @Test
    void everyErrorTheServerAnswersCarriesOurPageOrProblem() {
        assertPage(RawHttp.send("GET", "/no/such/page", signedIn("unknown").headers(), (byte[]) null), 404);
        assertPage(RawHttp.send("DELETE", "/login", "", (byte[]) null), 405);
        User caller = users.active("api-406");
        String token = api.global(caller);
        assertProblem(RawHttp.send("GET", "/api/v1/no-such-thing", "Authorization: Bearer " + token, (byte[]) null),
                404);
        byte[] big = new byte[1_100_000];
        java.util.Arrays.fill(big, (byte) 'a');
        assertPage(RawHttp.send("POST", "/signup", "Content-Type: application/x-www-form-urlencoded", big), 413);
        RawHttp.Reply notAcceptable = RawHttp.send("GET", "/api/v1/accounts", "Accept: text/html\nAuthorization: Bearer "
                + token, (byte[]) null);
        assertProblem(notAcceptable, 406);
        assertProblem(RawHttp.send("POST", "/api/v1/accounts/" + accounts.accountOf(caller) + "/infrastructures",
                "Content-Type: text/plain\nAuthorization: Bearer " + token, "x"), 415);
    }

    private static long grantsTo(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Grant.count("grantee.email", email));
    }
}
