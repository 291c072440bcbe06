package io.dap.portal.web;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * Which status an unexpected exception deserves. Most are our bug (500); two families are not:
 * the database being unreachable or too slow (503: try again, nothing was changed), and a request
 * body the framework's form reader could not read (the client's fault: 400, 413 or 415).
 */
public final class Failures {

    /** The package of Quarkus REST's form body reader: an exception raised there is about the body. */
    private static final String FORM_READER = "org.jboss.resteasy.reactive.server.core.multipart.";

    private Failures() {
    }

    /**
     * The status for an exception no mapper claimed. A failure that came from the database but does
     * not say it was unreachable is a 500 unless {@code reachable} (a live check) says otherwise.
     */
    public static int status(Throwable failure, java.util.function.BooleanSupplier reachable) {
        if (databaseUnavailable(failure)) {
            reachable.getAsBoolean(); // drops the connections the outage broke
            return 503;
        }
        if (fromDatabase(failure) && !reachable.getAsBoolean()) {
            return 503;
        }
        return statusOfRequest(failure);
    }

    /** The status for an exception, without asking the database. */
    public static int status(Throwable failure) {
        return databaseUnavailable(failure) ? 503 : statusOfRequest(failure);
    }

    private static int statusOfRequest(Throwable failure) {
        if (readingFormBody(failure)) {
            if (causedBy(failure, UnsupportedCharsetException.class)
                    || causedBy(failure, IllegalCharsetNameException.class)) {
                return 415;
            }
            String message = failure.getMessage();
            return message != null && message.startsWith("Param limit") ? 413 : 400;
        }
        return 500;
    }

    /**
     * The database cannot be reached, refused a connection, or did not answer in time (pool
     * acquisition, query or lock timeouts). Anything else from the database is still a 500.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || type.equals("org.hibernate.exception.JDBCConnectionException")
                    || type.equals("jakarta.persistence.QueryTimeoutException")
                    || type.equals("jakarta.persistence.LockTimeoutException")
                    || type.equals("org.hibernate.QueryTimeoutException")) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage().toLowerCase(Locale.ROOT);
                // 08: connection exceptions; 57P0x: PostgreSQL shutting down; HYT0x: timeouts.
                // Agroal's own refusals carry no state, only their message.
                if (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("HYT")
                        || message.contains("acquisition timeout")
                        || message.startsWith("exception while creating new connection")
                        || message.contains("pool is closed") || message.contains("pool is shutting down")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Raised by the database, its driver, the pool or the transaction around them. */
    public static boolean fromDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof SQLException || t instanceof javax.transaction.xa.XAException
                    || type.startsWith("org.hibernate.") || type.startsWith("jakarta.persistence.")
                    || type.startsWith("jakarta.transaction.") || type.startsWith("io.agroal.")) {
                return true;
            }
        }
        return false;
    }

    static boolean readingFormBody(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith(FORM_READER)) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
