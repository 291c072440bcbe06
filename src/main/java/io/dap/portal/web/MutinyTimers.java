package io.dap.portal.web;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Gives Mutiny timers that forget a cancelled timeout at once.
 * <p>
 * Every page is a Qute template, and Quarkus REST renders it through a Mutiny {@code Uni} with a
 * timeout ({@code quarkus.qute.timeout}, 10 s): one timer per page. Mutiny schedules it on Quarkus's
 * worker pool, whose scheduler keeps a cancelled timer until the time it was set for. Each timer holds
 * its request (the request context and its beans), so every page answered stayed reachable for 10 s:
 * under load about 12,000 requests at a time, which the young generation promoted and the old one
 * then had to collect in a full collection every 10 s or so (100 to 170 ms each, every page waiting).
 * <p>
 * Here the timers live in a timer thread of their own that removes a cancelled one immediately; a
 * timer that does fire hands its work to Quarkus's worker pool, as before. Everything else Mutiny
 * runs goes to the worker pool unchanged.
 */
@ApplicationScoped
public class MutinyTimers {

    private static volatile Timers installed;

    /** Early, before the first request can render a page. */
    void install(@Observes @Priority(1) StartupEvent event) {
        ScheduledExecutorService workers = Infrastructure.getDefaultWorkerPool();
        if (workers instanceof Timers) {
            return;
        }
        Timers timers = new Timers(workers);
        Infrastructure.setDefaultExecutor(timers);
        Timers before = installed;
        installed = timers;
        if (before != null) {
            before.shutdownNow(); // a restart in dev mode: the last run's timer thread
        }
    }

    /** Timers set and not yet fired or cancelled: what the timer thread still holds. */
    public static int pending() {
        Timers timers = installed;
        return timers == null ? 0 : timers.timer.getQueue().size();
    }

    static final class Timers extends AbstractExecutorService implements ScheduledExecutorService {

        private final ScheduledExecutorService workers;
        final ScheduledThreadPoolExecutor timer;

        Timers(ScheduledExecutorService workers) {
            this.workers = workers;
            this.timer = new ScheduledThreadPoolExecutor(1, work -> {
                Thread thread = new Thread(work, "portal-timers");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
        }

        private Runnable handOff(Runnable command) {
            Executor target = workers;
            return () -> target.execute(command);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return timer.schedule(handOff(command), delay, unit);
        }

        /** Runs on the timer thread itself: nothing in the portal's stack schedules a Callable. */
        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return timer.schedule(callable, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return timer.scheduleAtFixedRate(handOff(command), initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                TimeUnit unit) {
            return timer.scheduleWithFixedDelay(handOff(command), initialDelay, delay, unit);
        }

        @Override
        public void execute(Runnable command) {
            workers.execute(command);
        }

        /** Stops the timers only: the worker pool belongs to Quarkus, which shuts it down itself. */
        @Override
        public void shutdown() {
            timer.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return timer.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return timer.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return timer.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return timer.awaitTermination(timeout, unit);
        }
    }
}
