package dev.backprop.platform;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

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
                || failure instanceof TransientDataAccessException || failure instanceof RecoverableDataAccessException;
    }
}
