package io.dap.portal.twofactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.session.UserSession;
import io.dap.portal.support.Browser;
import io.dap.portal.support.TwoFactorCodes;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Two clicks or two tabs at once leave one result: one secret being set up, one session per code. */
@QuarkusTest
class TwoFactorConcurrencyTest {

    @Inject
    Users users;

    @Inject
    TwoFactorCodes codes;

    private ExecutorService pool;

    @BeforeEach
    void start() {
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void twoTabsStartingTheSetUpAtOnceMakeOneSecretAndNoError() throws Exception {
        User user = users.active("two-tabs");
        Browser first = new Browser().signIn(user.email, Users.PASSWORD);
        Browser second = new Browser().signIn(user.email, Users.PASSWORD);
        first.get("/settings/two-factor");
        second.get("/settings/two-factor");
        List<Response> answers = all(() -> first.post("/settings/two-factor/setup"),
                () -> second.post("/settings/two-factor/setup"));
        answers.forEach(r -> assertEquals(303, r.statusCode()));
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> TwoFactor.count("userId", user.id)));
        // Both tabs show the one key that a code can confirm.
        assertEquals(Base32.encode(TwoFactorCodes.secretOn(first.get("/settings/two-factor").asString())),
                Base32.encode(TwoFactorCodes.secretOn(second.get("/settings/two-factor").asString())));
    }

    @Test
    void aDoubleClickOnTheCodePageSignsInOnce() throws Exception {
        User user = users.active("double-click");
        byte[] secret = codes.enableDirect(user);
        Browser browser = new Browser();
        browser.post("/login", "email", user.email, "password", Users.PASSWORD);
        String code = TwoFactorCodes.code(secret, java.time.Instant.now());
        String pending = browser.cookie("portal_sign_in");
        Browser other = new Browser();
        other.setCookie("portal_sign_in", pending);
        other.get("/login");
        List<Response> answers = all(() -> browser.post("/login/code", "code", code),
                () -> other.post("/login/code", "code", code));
        long signedIn = answers.stream().filter(r -> r.getCookie("portal_session") != null
                && !r.getCookie("portal_session").isEmpty()).count();
        assertEquals(1, signedIn, "one session for one code");
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> UserSession.count("user.id", user.id)));
        assertTrue(answers.stream().allMatch(r -> r.statusCode() == 303));
    }

    @SafeVarargs
    private List<Response> all(Callable<Response>... calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.length);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> call : calls) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return call.call();
            }));
        }
        ready.await();
        go.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }
}
