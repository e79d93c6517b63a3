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
import org.springframework.transaction.annotation.Transactional;
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

    /** Stores a model for a tenant (an import), with its name and tags. */
    @Transactional
    void insert(ModelDocument document, String owner) {
        ModelProvenance provenance = document.provenance();
        jdbc.sql("INSERT INTO model (id, job_id, created_at, task, format_version, summary, document, name, owner) "
                        + "VALUES (:id, :jobId, :createdAt, :task, :format, :summary, :document, :name, "
                        + (owner == null ? "COALESCE((SELECT owner FROM job WHERE id = :jobId), 'default'))" : ":owner)"))
                .param("owner", owner)
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

    /** Whether a model of this id is stored, whoever owns it. */
    boolean isStored(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM model WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    Optional<ModelDocument> findDocument(UUID id, String owner) {
        return jdbc.sql("SELECT document FROM model WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(String.class).optional().map(text -> json.readValue(text, ModelDocument.class));
    }

    Optional<ModelDocument> findSummary(UUID id, String owner) {
        return jdbc.sql("SELECT summary FROM model WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(String.class).optional().map(text -> json.readValue(text, ModelDocument.class));
    }

    List<ModelDocument> findSummaries(String owner, ModelFilter filter, int page, int size) {
        return filter.params(jdbc.sql("SELECT summary FROM model" + filter.where() + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"), owner)
                .param("limit", size).param("offset", (long) page * size).query(String.class).list().stream()
                .map(text -> json.readValue(text, ModelDocument.class)).toList();
    }

    long count(String owner, ModelFilter filter) {
        return filter.params(jdbc.sql("SELECT COUNT(*) FROM model" + filter.where()), owner).query(Long.class).single();
    }

    /** The id of the owner's newest model of a name. */
    Optional<UUID> findNewestNamed(String name, String owner) {
        return jdbc.sql("SELECT id FROM model WHERE name = :name AND owner = :owner ORDER BY created_at DESC, id LIMIT 1")
                .param("name", name).param("owner", owner).query(UUID.class).optional();
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
        return count(tenant, ModelFilter.all());
    }

    @Override
    public long serviceUsage(Quota quota) {
        return jdbc.sql("SELECT COUNT(*) FROM model").query(Long.class).single();
    }

}
