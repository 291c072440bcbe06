package io.dap.portal.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A transaction that outlives its timeout is rolled back by the transaction manager's reaper, on
 * the reaper's thread. The request's own thread may then fail to end it (Quarkus's interceptor
 * finds "the wrong transaction on the thread" and gives up), and the dead transaction stays bound
 * to that worker thread: every later request the thread serves fails on its first statement. So
 * a worker thread is checked where no transaction can legitimately be open (before a request's
 * resource, before a session is looked up, after a failure), and a leftover is rolled back and
 * unbound. Costs no statement: the check reads a thread-local.
 */
@ApplicationScoped
public class ThreadTransactions {

    private static final Logger LOG = Logger.getLogger(ThreadTransactions.class);

    @Inject
    TransactionManager transactions;

    /**
     * Unbinds a transaction left on this thread by work that has already ended; true when there
     * was one. Call only where no transaction of the caller's can be open.
     */
    public boolean releaseLeftover() {
        int status;
        try {
            status = transactions.getStatus();
        } catch (SystemException e) {
            return false;
        }
        if (status == Status.STATUS_NO_TRANSACTION) {
            return false;
        }
        LOG.warnf("A transaction (status %d) was still bound to thread %s after its work ended; rolled back",
                status, Thread.currentThread().getName());
        try {
            transactions.rollback();
        } catch (IllegalStateException | SecurityException | SystemException e) {
            // Already rolled back by the reaper: rollback() still unbinds it, or suspend() below does.
        }
        try {
            if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transactions.suspend();
            }
        } catch (SystemException e) {
            LOG.debugf("Could not unbind the leftover transaction: %s", e.getMessage());
        }
        return true;
    }

    /** Before every resource (on its worker thread, for the blocking ones): start clean. */
    @ServerRequestFilter
    void beforeResource() {
        releaseLeftover();
    }
}
