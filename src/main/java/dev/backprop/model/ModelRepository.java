package dev.backprop.model;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.backprop.security.Quota;
import dev.backprop.security.QuotaMeter;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trained models in the database: the whole document, and a summary without weights for listings. Every
 * read takes the owner (the tenant) and finds only its rows.
 */
@Repository
class ModelRepository implements QuotaMeter {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ModelRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a trained model, owned by the tenant that owns the job that trained it. */
    void insertTrained(ModelDocument document) {
        insert(document, null);
    }

    /** Stores a model for a tenant (an import). */
    void insert(ModelDocument document, String owner) {
        jdbc.sql("INSERT INTO model (id, job_id, created_at, task, format_version, summary, document, owner) "
                        + "VALUES (:id, :jobId, :createdAt, :task, :format, :summary, :document, "
                        + (owner == null ? "COALESCE((SELECT owner FROM job WHERE id = :jobId), 'default'))" : ":owner)"))
                .param("owner", owner)
                .param("id", document.id())
                .param("jobId", document.jobId())
                .param("createdAt", document.createdAt().atOffset(ZoneOffset.UTC))
                .param("task", document.task())
                .param("format", document.formatVersion())
                .param("summary", json.writeValueAsString(document.summary()))
                .param("document", json.writeValueAsString(document))
                .update();
    }

    Optional<ModelDocument> findDocument(UUID id, String owner) {
        return jdbc.sql("SELECT document FROM model WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(String.class).optional().map(text -> json.readValue(text, ModelDocument.class));
    }

    Optional<ModelDocument> findSummary(UUID id, String owner) {
        return jdbc.sql("SELECT summary FROM model WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(String.class).optional().map(text -> json.readValue(text, ModelDocument.class));
    }

    List<ModelDocument> findSummaries(String owner, int page, int size) {
        return jdbc.sql("SELECT summary FROM model WHERE owner = :owner ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("owner", owner).param("limit", size).param("offset", (long) page * size).query(String.class).list().stream()
                .map(text -> json.readValue(text, ModelDocument.class)).toList();
    }

    long count(String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM model WHERE owner = :owner").param("owner", owner).query(Long.class).single();
    }

    boolean delete(UUID id, String owner) {
        return jdbc.sql("DELETE FROM model WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner).update() == 1;
    }

    /** Deletes a model whoever owns it: for the runner only. */
    void deleteTrained(UUID id) {
        jdbc.sql("DELETE FROM model WHERE id = :id").param("id", id).update();
    }

    @Override
    public Set<Quota> quotas() {
        return Set.of(Quota.MODELS);
    }

    @Override
    public long usage(Quota quota, String tenant) {
        return count(tenant);
    }

}
