package io.dap.portal.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.dap.portal.web.Overloaded;
import io.quarkus.elytron.security.common.BcryptUtil;

/** argon2id hashes, the bcrypt ones of earlier versions, and the line in front of the hashing threads. */
class PasswordHashesTest {

    /** The smallest cost argon2 accepts: these tests are about the format and the rules, not the cost. */
    private final PasswordHashes hashes = new PasswordHashes(64, 1, 1, 1, 1);

    @AfterEach
    void stop() {
        hashes.stop();
    }

    @Test
    void anArgon2idHashVerifiesItsPasswordAndNoOther() {
        String hash = hashes.hash("correct horse battery");
        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        assertTrue(hashes.verify("correct horse battery", hash));
        assertFalse(hashes.verify("correct horse batterY", hash));
        assertFalse(hashes.verify("", hash));
        assertNotEquals(hash, hashes.hash("correct horse battery"), "a fresh salt every time");
        assertFalse(hashes.needsUpgrade(hash));
    }

    @Test
    void hashesOfTheReferenceImplementationVerify() {
        // Written by the reference argon2 command-line tool (Debian's argon2 package):
        // echo -n password | argon2 somesalt -id -t 3 -m 6 -p 1 -l 32 -e
        String small = "$argon2id$v=19$m=64,t=3,p=1$c29tZXNhbHQ$ueO/2lj7lfHh5HmvTgG/reWg26NNQAolT3cEYmdBaeY";
        // echo -n "correct horse battery" | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e (OWASP's first set)
        String usual = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$iPOQ5f2O21FsjnBvo1AiFcDuSXciCnKUrXFO+yfgNoM";
        // echo -n "correct horse battery" | argon2 saltsaltsaltsalt -id -t 5 -k 7168 -p 1 -l 32 -e (the default cost)
        String smaller = "$argon2id$v=19$m=7168,t=5,p=1$c2FsdHNhbHRzYWx0c2FsdA$N9D9+W+zAwaZlb5TQSjckrOq7wZ4WiEGWNGaMEr8FiE";
        PasswordHashes today = new PasswordHashes(7168, 5, 1, 1, 1);
        try {
            assertTrue(today.verify("password", small), "verified with the hash's own parameters");
            assertFalse(today.verify("passwore", small));
            assertTrue(today.needsUpgrade(small), "other parameters than today's");
            assertTrue(today.verify("correct horse battery", smaller));
            assertFalse(today.verify("correct horse batterY", smaller));
            assertFalse(today.needsUpgrade(smaller));
            assertTrue(today.verify("correct horse battery", usual), "a hash at the other OWASP cost still verifies");
            assertTrue(today.needsUpgrade(usual), "and is replaced at the next sign-in");
        } finally {
            today.stop();
        }
    }

    @Test
    void argon2MemoryIsLentFromThePoolSoChecksAtTodaysCostAllocateNoneOfIt() {
        PasswordHashes today = new PasswordHashes(7168, 5, 1, 1, 1);
        try {
            String first = today.hash("correct horse battery");
            long made = today.blocksMade();
            assertTrue(made >= 7168, "the first check made its memory: " + made);
            // Other salts, other passwords, a hash at another cost in between: still the right answers.
            String usual = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$iPOQ5f2O21FsjnBvo1AiFcDuSXciCnKUrXFO+yfgNoM";
            assertTrue(today.verify("correct horse battery", usual));
            long afterOtherCost = today.blocksMade();
            for (int i = 0; i < 3; i++) {
                assertTrue(today.verify("correct horse battery", first));
                assertFalse(today.verify("correct horse batterY", first));
                assertTrue(today.verify("correct horse battery", today.hash("correct horse battery")));
            }
            assertEquals(afterOtherCost, today.blocksMade(), "nine checks at today's cost borrowed every block they used");
        } finally {
            today.stop();
        }
    }

    @Test
    void aBcryptHashFromAnEarlierVersionStillVerifiesAndAsksForAnUpgrade() {
        String bcrypt = BcryptUtil.bcryptHash("correct horse battery", 4);
        assertTrue(hashes.verify("correct horse battery", bcrypt));
        assertFalse(hashes.verify("wrong horse battery", bcrypt));
        assertTrue(hashes.needsUpgrade(bcrypt));
        assertTrue(hashes.needsUpgrade(null));
    }

    @Test
    void anUnreadableOrAbsurdHashIsNeverAMatch() {
        for (String broken : new String[] { "", "plain text", "$argon2id$v=19$m=64,t=1,p=1$", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$YUWQ",
                "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$YUWQvJeLLcDyfAX3rp5m3SNehXH0ewpCDKp9e7xaSJ8",
                "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHQ$YUWQvJeLLcDyfAX3rp5m3SNehXH0ewpCDKp9e7xaSJ8",
                "$argon2id$v=19$m=64,t=1,p=1$!!!!$YUWQvJeLLcDyfAX3rp5m3SNehXH0ewpCDKp9e7xaSJ8" }) {
            assertFalse(hashes.verify("password", broken), broken);
            assertTrue(hashes.needsUpgrade(broken), broken);
        }
        assertFalse(hashes.verify(null, hashes.hash("x")));
        assertFalse(hashes.verify("x", null));
    }

    @Test
    void aFullLineIsRefusedAtOnceInsteadOfWaiting() throws Exception {
        // One hashing thread, one place in line: a third check is refused while both are taken.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> hashes.run(() -> {
            busy.countDown();
            return release.await(10, TimeUnit.SECONDS);
        }));
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> hashes.hash("in line"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hashes.waiting() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, hashes.waiting());
        long start = System.nanoTime();
        assertThrows(Overloaded.class, () -> hashes.hash("one too many"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused without waiting");
        release.countDown();
        assertTrue(running.get(10, TimeUnit.SECONDS));
        assertTrue(hashes.verify("in line", waiting.get(10, TimeUnit.SECONDS)), "the one in line is served");
    }
}
