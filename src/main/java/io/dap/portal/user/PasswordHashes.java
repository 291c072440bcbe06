package io.dap.portal.user;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.dap.portal.web.AdmissionControl;
import io.dap.portal.web.Overloaded;
import io.dap.portal.web.PortalConfig;
import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Password hashes: argon2id (RFC 9106) at the cost set in {@code portal.password.argon2.*}, kept
 * in the usual text form {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}. Hashes written by earlier
 * versions (bcrypt) still verify, and {@link #needsUpgrade} tells the sign-in to replace them.
 *
 * <p>The work runs on a few threads of its own ({@code portal.password.hashing-threads}) with a
 * short line in front of them: a burst of sign-ins waits there instead of taking every core from
 * the pages, and past {@code portal.password.hashing-queue} waiting checks the answer is a quick
 * 503 ({@link Overloaded}).
 *
 * <p>The computation itself, and the memory it works in, are {@link Argon2Memory}'s.
 */
@ApplicationScoped
public class PasswordHashes {

    private static final String ARGON2ID = "$argon2id$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final ThreadPoolExecutor pool;
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Argon2Memory argon2;

    /** Absent when built by hand (unit tests): then a check simply waits. */
    @Inject
    AdmissionControl admission;

    @Inject
    public PasswordHashes(PortalConfig config) {
        this(config.password().argon2MemoryKib(), config.password().argon2Iterations(),
                config.password().argon2Parallelism(), config.password().hashingThreads(),
                config.password().hashingQueue());
    }

    PasswordHashes(int memoryKib, int iterations, int parallelism, int threads, int queue) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.argon2 = new Argon2Memory(Math.max(1, threads), memoryKib, parallelism);
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(Math.max(1, threads), Math.max(1, threads), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)), work -> {
                    Thread thread = new Thread(work, "password-hashing-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    // Honoured where the JVM maps priorities to the OS (README › JVM settings): pages go first.
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                });
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** A new hash of the password at the configured cost, with a fresh salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = run(() -> argon2.hash(password, salt, memoryKib, iterations, parallelism, HASH_BYTES));
        return ARGON2ID + "v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches the stored hash (argon2id, or bcrypt from before); false for anything unreadable. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        if (stored.startsWith("$2")) {
            return run(() -> BcryptUtil.matches(password, stored));
        }
        Argon2 parsed = Argon2.parse(stored);
        if (parsed == null) {
            return false;
        }
        byte[] computed = run(() -> argon2.hash(password, parsed.salt(), parsed.memoryKib(), parsed.iterations(),
                parsed.parallelism(), parsed.hash().length));
        return MessageDigest.isEqual(computed, parsed.hash());
    }

    /** A hash that is not argon2id at today's cost: replace it once the password is known to be right. */
    public boolean needsUpgrade(String stored) {
        Argon2 parsed = stored == null ? null : Argon2.parse(stored);
        return parsed == null || parsed.memoryKib() != memoryKib || parsed.iterations() != iterations
                || parsed.parallelism() != parallelism;
    }

    /** Password checks waiting for a hashing thread. */
    int waiting() {
        return pool.getQueue().size();
    }

    /** Runs the work on the hashing threads and waits for it; a full line is {@link Overloaded}. */
    <T> T run(Callable<T> work) {
        try {
            // The wait for a hashing thread is not page work: the request's place goes to the next one meanwhile.
            return admission == null ? pool.submit(work).get() : admission.stepAside(() -> pool.submit(work).get());
        } catch (RejectedExecutionException e) {
            throw new Overloaded("too many password checks waiting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded("interrupted while waiting for a password check");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Blocks of argon2 memory made so far: once every hashing thread has worked at today's cost, no more. */
    long blocksMade() {
        return argon2.blocksMade();
    }

    /** A stored argon2id hash, read from its text form. */
    private record Argon2(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

        /** Bounds on what a stored hash may ask for, so a corrupt row cannot make a check take minutes. */
        private static final int MAX_MEMORY_KIB = 1 << 20;
        private static final int MAX_ITERATIONS = 64;

        static Argon2 parse(String stored) {
            // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
            String[] parts = stored.split("\\$");
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return null;
            }
            try {
                int m = 0;
                int t = 0;
                int p = 0;
                for (String setting : parts[3].split(",")) {
                    String[] pair = setting.split("=", 2);
                    int value = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = value;
                        case "t" -> t = value;
                        case "p" -> p = value;
                        default -> {
                            return null;
                        }
                    }
                }
                byte[] salt = B64_DECODER.decode(parts[4]);
                byte[] hash = B64_DECODER.decode(parts[5]);
                if (m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS || p < 1 || p > 16
                        || salt.length < 8 || hash.length < 16) {
                    return null;
                }
                return new Argon2(m, t, p, salt, hash);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
