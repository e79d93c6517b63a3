package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionSystemException;

/**
 * A rollback that fails because the database dropped the connection is an outage: seen in a clean-clone build, where a
 * job training through {@code DatabaseOutageEndToEndTest}'s outage crashed its worker on "JDBC rollback failed" and was
 * trained again from scratch (attempt 2).
 */
class DatabaseOutagesTest {

    @Test
    void aRollbackOnAConnectionTheDatabaseDroppedIsAnOutage() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed", "08003"));
        assertThat(DatabaseOutages.isOutage(rollback)).isTrue();
    }

    @Test
    void aRollbackThatFailedForAnotherReasonIsNot() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("duplicate key value violates unique constraint", "23505"));
        assertThat(DatabaseOutages.isOutage(rollback)).isFalse();
        assertThat(DatabaseOutages.isOutage(new TransactionSystemException("no cause"))).isFalse();
    }
}
