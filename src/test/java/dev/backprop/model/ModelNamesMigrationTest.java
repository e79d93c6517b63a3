package dev.backprop.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.EmbeddedPostgresDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration 19 on a database migrated to V17 holding models stored before V17: a model whose provenance carries
 * its request's name and tags gets them in its columns, one without a name (or without provenance) keeps none,
 * and a model named since V17 is left as it is. On H2 and on a real PostgreSQL.
 */
class ModelNamesMigrationTest {

    private static final UUID NAMED = UUID.randomUUID();
    private static final UUID UNNAMED = UUID.randomUUID();
    private static final UUID FORMAT_1 = UUID.randomUUID();
    private static final UUID SINCE_V17 = UUID.randomUUID();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void modelsStoredBeforeV17TakeTheNameAndTagsOfTheirProvenance(String database) throws SQLException {
        String url = database.equals("h2") ? "jdbc:h2:mem:v19-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
                : EmbeddedPostgresDatabases.newDatabaseUrl();
        String user = database.equals("h2") ? "sa" : "postgres";
        String password = database.equals("h2") ? "" : "postgres";
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target("17").load().migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            insert(connection, NAMED, "{\"provenance\": {\"trainingSpec\": {\"name\": \"churn\", \"tags\": [\"baseline\", \"q3\"]}}}", null);
            insert(connection, UNNAMED, "{\"provenance\": {\"trainingSpec\": {\"name\": null, \"tags\": []}}}", null);
            insert(connection, FORMAT_1, "{\"formatVersion\": 1}", null);
            insert(connection, SINCE_V17, "{\"provenance\": {\"trainingSpec\": {\"name\": \"other\"}}}", "kept");
        }
        Flyway migrated = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
                .javaMigrations(new V19__ModelNamesFromProvenance()).target("19").load();
        migrated.migrate();  // to 19 exactly: later migrations are not this test's subject
        assertThat(migrated.info().current().getVersion().getVersion()).isEqualTo("19");
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            assertThat(name(connection, NAMED)).isEqualTo("churn");
            assertThat(tags(connection, NAMED)).containsExactly("baseline", "q3");
            assertThat(name(connection, UNNAMED)).isNull();
            assertThat(name(connection, FORMAT_1)).isNull();
            assertThat(name(connection, SINCE_V17)).isEqualTo("kept");
            assertThat(tags(connection, UNNAMED)).isEmpty();
        }
    }

    private static void insert(Connection connection, UUID id, String document, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO model (id, job_id, created_at, task, format_version, "
                + "summary, document, name) VALUES (?, NULL, ?, 'classification', 3, '{}', ?, ?)")) {
            insert.setObject(1, id);
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.setString(3, document);
            insert.setString(4, name);
            insert.executeUpdate();
        }
    }

    private static String name(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT name FROM model WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }

    private static List<String> tags(Connection connection, UUID id) throws SQLException {
        List<String> tags = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT tag FROM model_tag WHERE model_id = ? ORDER BY tag")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    tags.add(rows.getString(1));
                }
            }
        }
        return tags;
    }
}
