package io.dap.portal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.Test;

import io.dap.portal.support.Browser;
import io.dap.portal.support.Users;
import io.dap.portal.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A request whose transaction ran out of time (the reaper rolled it back under it) gets one clean
 * answer, 503 with Retry-After, and leaves no dead transaction on its worker thread for the next
 * requests to trip over (which the benchmark's overload run showed: every later request on such a
 * thread failed, and their error pages failed again, "Response has already been written").
 */
@QuarkusTest
class TimedOutTransactionTest {

    @Inject
    Users users;

    @Inject
    TransactionManager transactions;

    @Inject
    ThreadTransactions threadTransactions;

    @Test
    void aTimedOutTransactionIsOneBusyAnswerAndLeavesTheThreadsClean() {
        Browser browser = new Browser().signIn(users.active("timed-out").email, Users.PASSWORD);
        List<LogRecord> errors = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        try {
            Response response = browser.get("/test-support/timed-out");
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("1", response.header("Retry-After"));
            assertTrue(response.asString().contains("Busy"));
            assertFalse(response.asString().contains("Exception"));

            // Whichever worker thread serves them, the next requests start without a transaction
            // and pages work (the pool hands an idle thread out again, typically the same one).
            for (int i = 0; i < 20; i++) {
                assertEquals("none", browser.get("/test-support/thread-transaction").asString());
            }
            browser.get("/settings/profile").then().statusCode(200);
        } finally {
            root.removeHandler(handler);
        }
        assertTrue(errors.isEmpty(), "no error logged, no second response: " + errors.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
    }

    @Test
    void aTransactionLeftOnAThreadIsRolledBackAndUnbound() throws Exception {
        transactions.begin();
        Transaction left = transactions.getTransaction();
        Thread reaper = new Thread(() -> {
            try {
                left.rollback();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        reaper.start();
        reaper.join();
        assertTrue(transactions.getStatus() != Status.STATUS_NO_TRANSACTION, "still bound, as the reaper leaves it");

        assertTrue(threadTransactions.releaseLeftover());
        assertEquals(Status.STATUS_NO_TRANSACTION, transactions.getStatus());
        assertTrue(QuarkusTransaction.requiringNew().call(() -> User.count()) >= 0, "the thread works in a new transaction");
        assertFalse(threadTransactions.releaseLeftover(), "nothing left: nothing done");
    }
}
