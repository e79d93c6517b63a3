package dev.backprop.model;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
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

    void insert(ModelDocument document) {
        jdbc.sql("INSERT INTO model (id, job_id, created_at, task, format_version, summary, document) "
                        + "VALUES (:id, :jobId, :createdAt, :task, :format, :summary, :document)")
                .param("id", document.id())
                .param("jobId", document.jobId())
                .param("createdAt", document.createdAt().atOffset(ZoneOffset.UTC))
                .param("task", document.task())
                .param("format", document.formatVersion())
                .param("summary", json.writeValueAsString(document.summary()))
                .param("document", json.writeValueAsString(document))
                .update();
    }

    Optional<ModelDocument> findDocument(UUID id) {
        return jdbc.sql("SELECT document FROM model WHERE id = :id").param("id", id).query(String.class).optional()
                .map(text -> json.readValue(text, ModelDocument.class));
    }

    Optional<ModelDocument> findSummary(UUID id) {
        return jdbc.sql("SELECT summary FROM model WHERE id = :id").param("id", id).query(String.class).optional()
                .map(text -> json.readValue(text, ModelDocument.class));
    }

    List<ModelDocument> findSummaries(int page, int size) {
        return jdbc.sql("SELECT summary FROM model ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("limit", size).param("offset", (long) page * size).query(String.class).list().stream()
                .map(text -> json.readValue(text, ModelDocument.class)).toList();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM model").query(Long.class).single();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM model WHERE id = :id").param("id", id).update() == 1;
    }

}
