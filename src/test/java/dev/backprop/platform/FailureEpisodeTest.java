package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * A heartbeat through a simulated outage: ten beats fail as they do while the database is away (Hikari's timeout
 * under Spring's CannotGetJdbcConnectionException), then two get through. Before the episode the runner logged a
 * WARN with the whole stack trace every beat.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureEpisodeTest {

    @Test
    void anOutageIsOneWarningWithItsCauseAndOneLineWhenItEnds(CapturedOutput output) {
        FailureEpisode heartbeat = new FailureEpisode(LoggerFactory.getLogger(FailureEpisodeTest.class), "Renewing the leases");
        RuntimeException outage = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new java.sql.SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 3000ms"));
        for (int beat = 0; beat < 10; beat++) {
            heartbeat.failed(outage);
        }
        heartbeat.succeeded();
        heartbeat.succeeded();

        // what the service logs at its INFO level (DEBUG lines may show too, without a Spring context's configuration)
        List<String> lines = output.getOut().lines().filter(l -> l.contains("Renewing the leases") && !l.contains("DEBUG")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN").contains("Connection is not available, request timed out after 3000ms");
        assertThat(lines.get(1)).contains("INFO").contains("succeeds again after 10 failures");
        assertThat(output.getOut()).doesNotContain("\tat ").doesNotContain("CannotGetJdbcConnectionException");

        // a second outage is a new episode
        heartbeat.failed(outage);
        assertThat(output.getOut().lines().filter(l -> l.contains("WARN") && l.contains("Renewing the leases")).count()).isEqualTo(2);
    }
}
