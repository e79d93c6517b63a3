package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A rollback that fails because the database dropped the connection is an outage: seen in two clean-clone builds, where a
 * job training through {@code DatabaseOutageEndToEndTest}'s outage crashed its worker on "JDBC rollback failed" and was
 * trained again from scratch (attempt 2).
 */
class DatabaseOutagesTest {

    @Test
    void aRollbackOnAConnectionTheDatabaseDroppedIsAnOutage() {
        // PostgreSQL's driver on a connection the server closed
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("This connection has been closed.", "08003"));
        assertThat(DatabaseOutages.isOutage(rollback)).isTrue();
    }

    /**
     * What the second build logged: the insert failed with PostgreSQL's 57P01 ("terminating connection due to
     * administrator command"), Hikari evicted the connection, and the rollback then met Hikari's closed-connection proxy,
     * whose {@code SQLException("Connection is closed")} carries no SQLState (HikariCP 7.0.2's
     * {@code ProxyConnection.ClosedConnection}); the rollback's exception overrides the insert's.
     */
    @Test
    void aRollbackRefusedByThePoolAfterTheStatementLostItsConnectionIsAnOutage() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")));
        assertThat(DatabaseOutages.isOutage(rollback)).isTrue();
    }

    /**
     * What a third build logged: the commit failed with 57P01, Hikari evicted the connection, and the rollback Spring
     * then tries met Hikari's closed-connection proxy. Spring throws the rollback's exception and only logs the commit's
     * ("Commit exception overridden by rollback exception"), so nothing but the state-less {@code SQLException} is left.
     */
    @Test
    void aRollbackAfterAFailedCommitRefusedByThePoolIsAnOutage() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        assertThat(DatabaseOutages.isOutage(rollback)).isTrue();
    }

    @Test
    void aStatementRefusedByADatabaseShuttingDownIsAnOutage() {
        TransactionSystemException commit = new TransactionSystemException("Could not commit JDBC transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        assertThat(DatabaseOutages.isOutage(commit)).isTrue();
    }

    @Test
    void aRollbackThatFailedForAnotherReasonIsNot() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(DatabaseOutages.isOutage(rollback)).isFalse();
        assertThat(DatabaseOutages.isOutage(new TransactionSystemException("no cause"))).isFalse();

    }
}
