package dev.backprop.platform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * On H2, makes a commit reach the database file before it returns, so that a 2xx survives a {@code kill -9} on the
 * embedded default as it does on PostgreSQL. H2's MVStore otherwise writes committed transactions from a background
 * thread up to {@code WRITE_DELAY} (500 ms by default) later: killed 70 ms after its last answer, the service lost
 * three of five accepted jobs, an uploaded data set and a cancel. With {@code WRITE_DELAY 0}, H2 2.4 sets the
 * MVStore's auto-commit delay to 0 and then stores the MVStore at the end of every transaction
 * ({@code TransactionStore.endTransaction}). That is a write to the operating system, not an fsync: a crashed process
 * loses nothing, a power cut can still lose the last commits. The cost is in the README (configuration, H2).
 * It is set on every start and for any H2 URL, so a URL of one's own is as safe as the default one; a singleton, it
 * runs before the web server starts to take requests.
 */
@Component
class H2Durability implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(H2Durability.class);

    private final DataSource dataSource;

    H2Durability(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
            }
            log.info("H2: every commit is written to the database file before it returns (WRITE_DELAY 0)");
        }
    }
}
