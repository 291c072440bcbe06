package io.dap.portal.web;

import java.sql.Connection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * After a request failed on the database: is the database reachable at all? A failure while it is
 * down can surface as almost any exception (a connection that breaks while being enlisted, a pool
 * that cannot open one), so rather than guess from its type, ask: borrow a connection and check it.
 * When the answer is no, the pool's broken connections are dropped at once, so the first request
 * after the database is back gets a working one and no restart is needed.
 */
@ApplicationScoped
public class DatabaseProbe {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class);
    private static final int VALIDATION_SECONDS = 2;

    @Inject
    AgroalDataSource dataSource;

    /** Blocking: call from a worker thread. */
    public boolean reachable() {
        boolean valid;
        try {
            valid = QuarkusTransaction.suspendingExisting().call(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    return connection.isValid(VALIDATION_SECONDS);
                }
            });
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            forgetBrokenConnections();
        }
        return valid;
    }

    /** Drops pooled connections that no longer work (the outage broke them). */
    public void forgetBrokenConnections() {
        try {
            dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        } catch (RuntimeException e) {
            LOG.debugf("Could not flush the connection pool: %s", e.getMessage());
        }
    }
}
