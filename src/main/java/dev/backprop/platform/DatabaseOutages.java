package dev.backprop.platform;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells the failures of an unreachable database (no connection within Hikari's timeout, a connection lost, a
 * transaction that could not begin) from those of a statement: the first kind passes by itself, so work that hit
 * it may wait and try again; the second would fail the same way again.
 */
public final class DatabaseOutages {

    private DatabaseOutages() {
    }

    /** Whether {@code failure} says the database could not be reached, rather than that it refused the statement. */
    public static boolean isOutage(RuntimeException failure) {
        return failure instanceof DataAccessResourceFailureException || failure instanceof CannotCreateTransactionException
                || failure instanceof TransientDataAccessException || failure instanceof RecoverableDataAccessException
                || failure instanceof TransactionSystemException system
                && (lostConnection(system) || overrodeAnOutage(system) || unexplainedByTheDatabase(system));
    }

    /**
     * Whether a commit or rollback failed with a {@code SQLException} that carries no SQLState: no answer of the
     * database's, but the pool's refusal of a connection it evicted (Hikari's closed-connection proxy, "Connection is
     * closed"). After a failed commit Spring throws the rollback's exception and only logs the commit's, so this is all
     * that is left of an outage met at commit; a job crashed on it in a clean-clone build.
     */
    private static boolean unexplainedByTheDatabase(TransactionSystemException failure) {
        return failure.getCause() instanceof java.sql.SQLException sql && sql.getSQLState() == null;
    }

    /**
     * Whether a {@code SQLException} with a connection-exception state (class 08) or an operator-intervention state
     * (class 57, e.g. PostgreSQL's 57P01 "terminating connection due to administrator command") caused {@code failure}:
     * a rollback or commit on a connection the database dropped mid-transaction is the outage, not a refused
     * statement; it crashed a job training through one.
     */
    private static boolean lostConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the rollback that failed was rolling back a statement that met an outage. After a statement loses its
     * connection, Hikari evicts it and answers the rollback from its closed-connection proxy with a
     * {@code SQLException("Connection is closed")} that has no SQLState (HikariCP 7.0.2); the statement's own failure
     * is then only the {@linkplain TransactionSystemException#getApplicationException() application exception}.
     */
    private static boolean overrodeAnOutage(TransactionSystemException failure) {
        return failure.getApplicationException() instanceof RuntimeException statement && isOutage(statement);
    }

    /**
     * Runs a write until it gets through, trying again every {@code interval} while the database is unreachable, so that
     * a short outage costs a wait rather than the work; a failure of another kind is thrown at once. A write retried
     * after a failure may have committed already (the database went away before it could say so): it must be
     * idempotent.
     *
     * @param pauseBeforeRetry waits up to its argument before the next try; false to give up (the work was given up)
     * @param episode          logs the first failure and the success after failures
     * @return the write's result, or empty once given up
     */
    public static <T> Optional<T> retry(Supplier<T> write, Duration interval, Predicate<Duration> pauseBeforeRetry,
                                        FailureEpisode episode) {
        while (true) {
            try {
                T result = write.get();
                episode.succeeded();
                return Optional.of(result);
            } catch (RuntimeException e) {
                if (!isOutage(e)) {
                    throw e;
                }
                episode.failed(e);
            }
            if (!pauseBeforeRetry.test(interval)) {
                return Optional.empty();
            }
        }
    }
}
