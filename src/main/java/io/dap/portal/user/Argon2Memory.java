package io.dap.portal.user;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * argon2id (RFC 9106, Bouncy Castle's implementation) working in memory lent by a pool instead of
 * allocated afresh for every check. Each check at m = 7 MiB otherwise leaves 7 MiB of 1 KiB blocks
 * in the young generation that live just long enough to be copied, then promoted: a burst of
 * sign-ins filled the old generation in seconds, and the full collections that followed paused
 * every page (measured: 100 ms pauses every few seconds during eight sign-ins at once).
 *
 * <p>The pool keeps enough blocks for every hashing thread at today's cost; a check at another cost
 * (an older hash) takes what it needs and gives back only what fits. Blocks are cleared by Bouncy
 * Castle before they are returned. Its own class, so that Bouncy Castle (a signed jar, verified when
 * first opened) is loaded at the first password check rather than while the portal starts.
 */
final class Argon2Memory {

    private final int capacity;
    private final ArrayDeque<Argon2BytesGenerator.Block> idle = new ArrayDeque<>();
    private final AtomicLong made = new AtomicLong();
    private final Argon2BytesGenerator.BlockPool pool = new Argon2BytesGenerator.BlockPool() {
        @Override
        public Argon2BytesGenerator.Block allocate() {
            synchronized (idle) {
                Argon2BytesGenerator.Block block = idle.pollLast();
                if (block != null) {
                    return block;
                }
            }
            made.incrementAndGet();
            return new Argon2BytesGenerator.Block();
        }

        @Override
        public void deallocate(Argon2BytesGenerator.Block block) {
            synchronized (idle) {
                if (idle.size() < capacity) {
                    idle.addLast(block);
                }
            }
        }
    };

    /** For {@code threads} checks at once at m KiB and p lanes: max(m, 8p) blocks each, and a few for its own work. */
    Argon2Memory(int threads, int memoryKib, int parallelism) {
        this.capacity = threads * (Math.max(memoryKib, 8 * parallelism) + 8);
    }

    byte[] hash(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib).withIterations(iterations)
                .withParallelism(parallelism).withSalt(salt).withBlockPool(pool).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** Blocks made so far (not lent from the pool). */
    long blocksMade() {
        return made.get();
    }
}
