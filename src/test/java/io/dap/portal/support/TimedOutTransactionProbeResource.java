package io.dap.portal.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.dap.portal.user.User;

/**
 * Test-only endpoints: a request whose transaction runs out of time, the way the transaction
 * reaper ends it (rolled back from another thread while the request is still working in it), and
 * what a request finds bound to its worker thread when it starts.
 */
@Path("/test-support")
public class TimedOutTransactionProbeResource {

    @Inject
    Work work;

    @Inject
    TransactionManager transactions;

    @GET
    @Path("timed-out")
    public String timedOut() throws Exception {
        return work.outliveTheTransaction();
    }

    /** "none" when no transaction is bound to the thread serving this request. */
    @GET
    @Path("thread-transaction")
    public String threadTransaction() throws SystemException {
        int status = transactions.getStatus();
        return status == Status.STATUS_NO_TRANSACTION ? "none" : "status " + status;
    }

    @ApplicationScoped
    public static class Work {

        @Inject
        TransactionManager transactions;

        @Transactional
        public String outliveTheTransaction() throws Exception {
            User.count();
            Transaction transaction = transactions.getTransaction();
            // What the reaper does to a transaction past its timeout: rolls it back from its own thread.
            Thread reaper = new Thread(() -> {
                try {
                    transaction.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-reaper");
            reaper.start();
            reaper.join();
            // The request carries on, unaware, and asks the database again.
            return "still working: " + User.count();
        }
    }
}
