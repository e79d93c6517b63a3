package dev.backprop.model;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Trained models in the database: the whole document, and a summary without weights for listings. */
@Repository
class ModelRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ModelRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    void insert(ModelDocument document) {
        ModelProvenance provenance = document.provenance();
        jdbc.sql("INSERT INTO model (id, job_id, created_at, task, format_version, summary, document, name) "
                        + "VALUES (:id, :jobId, :createdAt, :task, :format, :summary, :document, :name)")
                .param("name", provenance == null ? null : provenance.modelName())
                .param("id", document.id())
                .param("jobId", document.jobId())
                .param("createdAt", document.createdAt().atOffset(ZoneOffset.UTC))
                .param("task", document.task())
                .param("format", document.formatVersion())
                .param("summary", json.writeValueAsString(document.summary()))
                .param("document", json.writeValueAsString(document))
                .update();
        for (String tag : provenance == null ? List.<String>of() : new java.util.LinkedHashSet<>(provenance.modelTags())) {
            jdbc.sql("INSERT INTO model_tag (model_id, tag) VALUES (:id, :tag)").param("id", document.id()).param("tag", tag).update();
        }
    }

    Optional<ModelDocument> findDocument(UUID id) {
        return jdbc.sql("SELECT document FROM model WHERE id = :id").param("id", id).query(String.class).optional()
                .map(text -> json.readValue(text, ModelDocument.class));
    }

    Optional<ModelDocument> findSummary(UUID id) {
        return jdbc.sql("SELECT summary FROM model WHERE id = :id").param("id", id).query(String.class).optional()
                .map(text -> json.readValue(text, ModelDocument.class));
    }

    List<ModelDocument> findSummaries(ModelFilter filter, int page, int size) {
        return filter.params(jdbc.sql("SELECT summary FROM model" + filter.where() + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"))
                .param("limit", size).param("offset", (long) page * size).query(String.class).list().stream()
                .map(text -> json.readValue(text, ModelDocument.class)).toList();
    }

    long count(ModelFilter filter) {
        return filter.params(jdbc.sql("SELECT COUNT(*) FROM model" + filter.where())).query(Long.class).single();
    }

    /** The id of the newest model of a name. */
    Optional<UUID> findNewestNamed(String name) {
        return jdbc.sql("SELECT id FROM model WHERE name = :name ORDER BY created_at DESC, id LIMIT 1").param("name", name)
                .query(UUID.class).optional();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM model WHERE id = :id").param("id", id).update() == 1;
    }

}
