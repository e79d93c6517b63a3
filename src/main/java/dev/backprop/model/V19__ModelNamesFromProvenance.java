package dev.backprop.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flyway migration 19 (its class name is Flyway's convention for the version): models stored before V17 have no
 * {@code name} column value and no {@code model_tag} rows, although their training request's name and tags are in
 * their document's provenance ({@code provenance.trainingSpec.name}, {@code .tags}), which is what
 * {@code GET /models/{id}} answers as their name. This copies them into the columns, so that {@code ?name=},
 * {@code ?tag=}, {@code /models/by-name/} and the serving protocols find those models as their answers name them.
 * A model whose request had no name (or whose document predates provenance, format 1 and 2) keeps none, as a model
 * trained without a name today does: it is addressed by its id. Java rather than SQL, because H2 and PostgreSQL
 * share no function that reads a JSON text column. Spring Boot hands every {@code JavaMigration} bean to Flyway.
 */
@Component
public class V19__ModelNamesFromProvenance extends BaseJavaMigration {

    /** The longest name the column holds (V17); a longer one stays in the provenance only. */
    private static final int NAME_LENGTH = 200;
    /** The longest tag the column holds (V17). */
    private static final int TAG_LENGTH = 100;

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        List<UUID> ids = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, document FROM model WHERE name IS NULL");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
                documents.add(rows.getString(2));
            }
        }
        try (PreparedStatement name = connection.prepareStatement("UPDATE model SET name = ? WHERE id = ?");
             PreparedStatement tagged = connection.prepareStatement("SELECT COUNT(*) FROM model_tag WHERE model_id = ?");
             PreparedStatement tag = connection.prepareStatement("INSERT INTO model_tag (model_id, tag) VALUES (?, ?)")) {
            for (int m = 0; m < ids.size(); m++) {
                JsonNode request = json.readTree(documents.get(m)).path("provenance").path("trainingSpec");
                JsonNode given = request.get("name");
                if (given != null && given.isString() && !given.asString().isEmpty() && given.asString().length() <= NAME_LENGTH) {
                    name.setString(1, given.asString());
                    name.setObject(2, ids.get(m));
                    name.executeUpdate();
                }
                Set<String> tags = new LinkedHashSet<>();
                request.path("tags").forEach(t -> {
                    if (t.isString() && t.asString().length() <= TAG_LENGTH) {
                        tags.add(t.asString());
                    }
                });
                if (tags.isEmpty() || hasTags(tagged, ids.get(m))) {
                    continue;
                }
                for (String value : tags) {
                    tag.setObject(1, ids.get(m));
                    tag.setString(2, value);
                    tag.addBatch();
                }
                tag.executeBatch();
            }
        }
    }

    private static boolean hasTags(PreparedStatement tagged, UUID model) throws SQLException {
        tagged.setObject(1, model);
        try (ResultSet count = tagged.executeQuery()) {
            return count.next() && count.getLong(1) > 0;
        }
    }
}
