package dev.backprop.job.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The start-up warm-up (off in every other test context, see application.properties) runs its synthetic jobs through
 * every step, on a thread of its own after readiness, and leaves no trace in the database.
 */
@SpringBootTest(properties = "backprop.jobs.warm-up=true")
class SubmitWarmupTest {

    @Autowired
    SubmitWarmup warmup;

    @Autowired
    JdbcClient jdbc;

    @Test
    void bothPrecisionsGoThroughTheSubmitAndTheTrainingOnALowPriorityDaemonThreadStartedAtReadiness() throws Exception {
        assertThat(warmup.awaitFinished(Duration.ofMinutes(2))).isTrue();
        assertThat(warmup.rehearsed()).isEqualTo(2);
        // not the thread that published readiness: the context's start returned without waiting for it
        assertThat(warmup.thread()).isEqualTo("warm-up/" + Thread.MIN_PRIORITY + "/daemon");
    }

    @Test
    void itStoresNothing() throws Exception {
        assertThat(warmup.awaitFinished(Duration.ofMinutes(2))).isTrue();
        Map<String, Long> rows = new TreeMap<>();
        List<String> tables = jdbc.sql("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' "
                + "AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'flyway_schema_history'").query(String.class).list();
        for (String table : tables) {
            rows.put(table, jdbc.sql("SELECT COUNT(*) FROM \"" + table + "\"").query(Long.class).single());
        }
        assertThat(tables).contains("JOB", "DATASET", "MODEL", "JOB_EPOCH");
        // the migrations' own rows: the admission and quota locks (V5, V22) and the default tenant
        Map<String, Long> seeded = Map.of("JOB_ADMISSION", 1L, "QUOTA_LOCK", 1L, "TENANT", 1L);
        assertThat(rows).allSatisfy((table, count) -> assertThat(count).as(table).isEqualTo(seeded.getOrDefault(table, 0L)));
    }
}
