package io.dap.portal.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.web.AdmissionControl;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A sign-in waiting for a hashing thread gives its admission place to the pages meanwhile. Here the
 * portal works on one request at a time and has one hashing thread, which the test keeps busy: the
 * sign-in waits for it, and a page asked for meanwhile is answered at once instead of waiting in line
 * until it is refused 503.
 */
@QuarkusTest
@TestProfile(PasswordCheckAdmissionTest.OneRequestOneHash.class)
class PasswordCheckAdmissionTest {

    public static class OneRequestOneHash implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portal.overload.max-concurrent-requests", "1", "portal.overload.max-queued-requests", "1",
                    "portal.overload.max-wait", "PT0.5S", "portal.password.hashing-threads", "1");
        }
    }

    @Inject
    Users users;

    @Inject
    PasswordHashes injected;

    @Inject
    AdmissionControl admission;

    @Test
    void aSignInWaitingForItsHashDoesNotHoldThePagesPlace() throws Exception {
        PasswordHashes hashes = ClientProxy.unwrap(injected);
        String email = users.active("waits-for-hash").email;
        Browser reader = new Browser().signIn(users.active("reads-meanwhile").email, Users.PASSWORD);
        Browser signingIn = new Browser();
        signingIn.get("/login");

        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> hashingThreadTaken = CompletableFuture.supplyAsync(() -> hashes.run(() -> {
            busy.countDown();
            return release.await(30, TimeUnit.SECONDS);
        }));
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        try {
            CompletableFuture<Response> signIn = CompletableFuture.supplyAsync(
                    () -> signingIn.post("/login", "email", email, "password", Users.PASSWORD));
            // The sign-in is in, waiting for the hashing thread: it no longer counts as running.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hashes.waiting() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(1, hashes.waiting(), "the sign-in waits for the hashing thread");
            assertEquals(0, admission.running(), "and has given up its place");

            assertEquals(200, reader.get("/settings/profile").statusCode(), "a page meanwhile is answered");
            assertTrue(!signIn.isDone(), "while the sign-in still waits");

            release.countDown();
            Response signedIn = signIn.get(30, TimeUnit.SECONDS);
            assertEquals(303, signedIn.statusCode());
            assertTrue(signedIn.header("Location").endsWith("/dashboard"), signedIn.header("Location"));
        } finally {
            release.countDown();
            hashingThreadTaken.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, admission.running(), "every place given back");
    }
}
