package dev.backprop.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs, their data and their epoch history in the database. Status changes are saved with an
 * optimistic version check, so two runners (or a runner and a cancel request) never both win.
 */
@Repository
public class JobRepository {

    private static final String COLUMNS = "id, type, status, spec, created_at, started_at, finished_at, attempt, lease_owner, "
            + "lease_expires_at, epochs_completed, epochs_total, model_id, stop_reason, best_epoch, error_type, error_detail, "
            + "final_metrics, trials_total, trials_done, trials_failed, best_score, version";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final JsonMapper json;
    private final DatasetTables datasets;

    public JobRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch, JsonMapper json, DatasetTables datasets) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.datasets = datasets;
    }

    /** Thrown when a save lost a race: someone else changed the job first. */
    public static final class ConcurrentUpdateException extends RuntimeException {
        ConcurrentUpdateException(UUID id) {
            super("job " + id + " was changed concurrently");
        }
    }

    /** Stores a new job with its data. */
    @Transactional
    public void insert(Job job, TrainingData data) {
        JdbcClient.StatementSpec statement = jdbc.sql("INSERT INTO job (" + COLUMNS + ", data, dataset_id) VALUES (:id, :type, :status, :spec, :createdAt, :startedAt, :finishedAt, "
                        + ":attempt, :leaseOwner, :leaseExpiresAt, :epochsCompleted, :epochsTotal, :modelId, :stopReason, :bestEpoch, "
                        + ":errorType, :errorDetail, :finalMetrics, :trialsTotal, :trialsDone, :trialsFailed, :bestScore, 0, :data, :datasetId)");
        bindState(statement, job)
                .param("type", job.type().name())
                .param("spec", json.writeValueAsString(job.spec()))
                .param("createdAt", timestamp(job.createdAt()))
                .param("epochsTotal", job.epochsTotal())
                .param("trialsTotal", job.trialsTotal())
                // A stored data set is referred to, not copied: data sets never change, cannot be deleted while
                // a queued or running job uses them, and can be far larger than a database row should be.
                .param("data", json.writeValueAsString(data.datasetId() == null ? data
                        : new TrainingData(null, data.targetColumn(), data.featureColumns(), data.datasetId())))
                .param("datasetId", data.datasetId())
                .update();
    }

    /**
     * Saves a job's state if nobody changed it since it was read.
     *
     * @throws ConcurrentUpdateException when the stored version moved on
     */
    public void save(Job job) {
        JdbcClient.StatementSpec statement = jdbc.sql("UPDATE job SET status = :status, started_at = :startedAt, finished_at = :finishedAt, "
                        + "attempt = :attempt, lease_owner = :leaseOwner, lease_expires_at = :leaseExpiresAt, "
                        + "epochs_completed = :epochsCompleted, model_id = :modelId, stop_reason = :stopReason, "
                        + "best_epoch = :bestEpoch, error_type = :errorType, error_detail = :errorDetail, "
                        + "final_metrics = :finalMetrics, trials_done = :trialsDone, trials_failed = :trialsFailed, best_score = :bestScore, "
                + "version = version + 1 WHERE id = :id AND version = :version");
        int updated = bindState(statement, job).param("version", job.version()).update();
        if (updated != 1) {
            throw new ConcurrentUpdateException(job.id());
        }
    }

    /** Binds the id and every column a transition can change. */
    private static JdbcClient.StatementSpec bindState(JdbcClient.StatementSpec statement, Job job) {
        return statement
                .param("id", job.id())
                .param("status", job.status().name())
                .param("startedAt", timestamp(job.startedAt()))
                .param("finishedAt", timestamp(job.finishedAt()))
                .param("attempt", job.attempt())
                .param("leaseOwner", job.leaseOwner())
                .param("leaseExpiresAt", timestamp(job.leaseExpiresAt()))
                .param("epochsCompleted", job.epochsCompleted())
                .param("modelId", job.modelId())
                .param("stopReason", job.stopReason())
                .param("bestEpoch", job.bestEpoch())
                .param("errorType", job.errorType())
                .param("errorDetail", truncate(job.errorDetail(), 2000))
                .param("finalMetrics", job.finalMetrics())
                .param("trialsDone", job.trialsDone())
                .param("trialsFailed", job.trialsFailed())
                .param("bestScore", job.bestScore());
    }

    public Optional<Job> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM job WHERE id = :id").param("id", id).query(this::map).optional();
    }

    /**
     * The data a job trains on, with the rows of its data set when it refers to one.
     *
     * @throws JobDataMissingException when that data set was deleted before the job ran
     */
    public TrainingData findData(UUID id) {
        String text = jdbc.sql("SELECT data FROM job WHERE id = :id").param("id", id).query(String.class).single();
        TrainingData data = json.readValue(text, TrainingData.class);
        if (data.table() != null) {
            return data;  // inline data, or a job stored before jobs referred to their data sets
        }
        return new TrainingData(datasets.findTable(data.datasetId()).orElseThrow(() -> new JobDataMissingException(data.datasetId())),
                data.targetColumn(), data.featureColumns(), data.datasetId());
    }

    /** A page of jobs, newest first, optionally of some statuses only. */
    public List<Job> findPage(Collection<JobStatus> statuses, int page, int size) {
        String where = statuses.isEmpty() ? "" : " WHERE status IN (:statuses)";
        JdbcClient.StatementSpec statement = jdbc.sql("SELECT " + COLUMNS + " FROM job" + where
                + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset");
        if (!statuses.isEmpty()) {
            statement = statement.param("statuses", statuses.stream().map(Enum::name).toList());
        }
        return statement.param("limit", size).param("offset", (long) page * size).query(this::map).list();
    }

    /** Jobs matching the filter, for paging. */
    public long count(Collection<JobStatus> statuses) {
        if (statuses.isEmpty()) {
            return jdbc.sql("SELECT COUNT(*) FROM job").query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status IN (:statuses)")
                .param("statuses", statuses.stream().map(Enum::name).toList()).query(Long.class).single();
    }

    /** Jobs a runner could claim now, oldest first. */
    public List<UUID> findClaimable(Instant now, int limit) {
        return jdbc.sql("SELECT id FROM job WHERE status = 'QUEUED' OR (status IN ('RUNNING', 'CANCEL_REQUESTED') "
                        + "AND lease_expires_at < :now) ORDER BY created_at, id LIMIT :limit")
                .param("now", timestamp(now)).param("limit", limit).query(UUID.class).list();
    }

    /**
     * Extends the lease of a job this runner holds.
     *
     * @return the job's status, or null when the runner no longer holds it
     */
    public JobStatus renewLease(UUID id, String owner, Instant until) {
        jdbc.sql("UPDATE job SET lease_expires_at = :until WHERE id = :id AND lease_owner = :owner "
                        + "AND status IN ('RUNNING', 'CANCEL_REQUESTED')")
                .param("until", timestamp(until)).param("id", id).param("owner", owner).update();
        return jdbc.sql("SELECT status FROM job WHERE id = :id AND lease_owner = :owner")
                .param("id", id).param("owner", owner).query(String.class).optional().map(JobStatus::valueOf).orElse(null);
    }

    /** Records progress, a hint that needs no version check. */
    public void updateProgress(UUID id, String owner, int epochsCompleted) {
        jdbc.sql("UPDATE job SET epochs_completed = :epochs WHERE id = :id AND lease_owner = :owner")
                .param("epochs", epochsCompleted).param("id", id).param("owner", owner).update();
    }

    /** Records a search's progress, a hint that needs no version check. */
    public void updateSearchProgress(UUID id, String owner, int done, int failed, Double best) {
        jdbc.sql("UPDATE job SET trials_done = :done, trials_failed = :failed, best_score = :best WHERE id = :id AND lease_owner = :owner")
                .param("done", done).param("failed", failed).param("best", best).param("id", id).param("owner", owner).update();
    }

    /** Stores a finished trial; a trial already stored (a race on resume) is left as it is. */
    public void insertTrial(UUID id, TrialRecord trial) {
        jdbc.sql("INSERT INTO search_trial (job_id, trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, "
                        + "error, seed, history) VALUES (:id, :index, :params, :status, :mean, :std, :folds, :fit, :error, :seed, :history)")
                .param("id", id).param("index", trial.index()).param("params", json.writeValueAsString(trial.params()))
                .param("status", trial.status()).param("mean", trial.score()).param("std", trial.scoreStd())
                .param("folds", trial.foldScores() == null ? null : json.writeValueAsString(trial.foldScores()))
                .param("fit", trial.fitMillis()).param("error", truncate(trial.error(), 2000)).param("seed", trial.seed())
                .param("history", trial.history() == null ? null : encodeHistory(trial.history()))
                .update();
    }

    /** A search's finished trials, by index; {@code withHistory} also reads their epoch histories. */
    public List<TrialRecord> findTrials(UUID id, boolean withHistory) {
        return jdbc.sql("SELECT trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, error, seed"
                        + (withHistory ? ", history" : "") + " FROM search_trial WHERE job_id = :id ORDER BY trial_index")
                .param("id", id)
                .query((rs, n) -> new TrialRecord(rs.getInt("trial_index"), readMap(rs.getString("params")), rs.getString("status"),
                        nullableDouble(rs, "score_mean"), nullableDouble(rs, "score_std"), readDoubles(rs.getString("fold_scores")),
                        rs.getLong("fit_millis"), rs.getString("error"), rs.getLong("seed"),
                        withHistory ? decodeHistory(rs.getString("history")) : null))
                .list();
    }

    @SuppressWarnings("unchecked")
    private java.util.Map<String, Object> readMap(String text) {
        return json.readValue(text, java.util.LinkedHashMap.class);
    }

    private List<Double> readDoubles(String text) {
        return text == null ? null : List.of(json.readValue(text, Double[].class));
    }

    /** Fields per epoch in a stored trial history. */
    private static final int HISTORY_FIELDS = 7;

    /**
     * A trial's history as base64 of little-endian doubles, seven per epoch (absent values as NaN):
     * exact, and written without formatting thousands of doubles as decimal text, whose garbage
     * slowed parallel trials (BENCHMARKS.md, T3).
     */
    static String encodeHistory(List<EpochRecord> history) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(history.size() * HISTORY_FIELDS * Double.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (EpochRecord e : history) {
            buffer.putDouble(e.epoch()).putDouble(e.loss()).putDouble(orNaN(e.validationLoss())).putDouble(orNaN(e.metric()))
                    .putDouble(orNaN(e.validationMetric())).putDouble(e.learningRate()).putDouble(e.elapsedMs());
        }
        return java.util.Base64.getEncoder().encodeToString(buffer.array());
    }

    static List<EpochRecord> decodeHistory(String text) {
        if (text == null) {
            return null;
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(text))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<EpochRecord> history = new java.util.ArrayList<>();
        while (buffer.remaining() >= HISTORY_FIELDS * Double.BYTES) {
            history.add(new EpochRecord((int) buffer.getDouble(), buffer.getDouble(), orNull(buffer.getDouble()),
                    orNull(buffer.getDouble()), orNull(buffer.getDouble()), buffer.getDouble(), (long) buffer.getDouble()));
        }
        return history;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    /** Jobs in the given statuses, for admission control and gauges. */
    public long countByStatus(JobStatus status) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status = :status").param("status", status.name())
                .query(Long.class).single();
    }

    /** Queued and running jobs that train on a data set. */
    public long countActiveUsing(UUID datasetId) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE dataset_id = :id AND status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')")
                .param("id", datasetId).query(Long.class).single();
    }

    /** Queued and running jobs across all runners. */
    public long countActive() {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')")
                .query(Long.class).single();
    }

    /** Deletes a job and its history. */
    @Transactional
    public void delete(UUID id) {
        jdbc.sql("DELETE FROM job_epoch WHERE job_id = :id").param("id", id).update();
        jdbc.sql("DELETE FROM search_trial WHERE job_id = :id").param("id", id).update();
        jdbc.sql("DELETE FROM job WHERE id = :id").param("id", id).update();
    }

    /** Appends epochs to a job's history. */
    public void appendEpochs(UUID id, List<EpochRecord> epochs) {
        if (epochs.isEmpty()) {
            return;
        }
        MapSqlParameterSource[] rows = epochs.stream().map(e -> new MapSqlParameterSource()
                        .addValue("id", id).addValue("epoch", e.epoch()).addValue("loss", e.loss())
                        .addValue("validationLoss", e.validationLoss()).addValue("metric", e.metric())
                        .addValue("validationMetric", e.validationMetric()).addValue("learningRate", e.learningRate())
                        .addValue("elapsedMs", e.elapsedMs()))
                .toArray(MapSqlParameterSource[]::new);
        batch.batchUpdate("INSERT INTO job_epoch (job_id, epoch, loss, validation_loss, metric, validation_metric, learning_rate, "
                + "elapsed_ms) VALUES (:id, :epoch, :loss, :validationLoss, :metric, :validationMetric, :learningRate, :elapsedMs)", rows);
    }

    /** Forgets a job's history, before an attempt starts over. */
    public void clearEpochs(UUID id) {
        jdbc.sql("DELETE FROM job_epoch WHERE job_id = :id").param("id", id).update();
    }

    /** A job's history, in epoch order. */
    public List<EpochRecord> findEpochs(UUID id) {
        return jdbc.sql("SELECT epoch, loss, validation_loss, metric, validation_metric, learning_rate, elapsed_ms FROM job_epoch "
                        + "WHERE job_id = :id ORDER BY epoch")
                .param("id", id)
                .query((rs, n) -> new EpochRecord(rs.getInt(1), rs.getDouble(2), nullableDouble(rs, 3), nullableDouble(rs, 4),
                        nullableDouble(rs, 5), rs.getDouble(6), rs.getLong(7)))
                .list();
    }

    private Job map(ResultSet rs, int row) throws SQLException {
        return Job.restore(rs.getObject("id", UUID.class), JobType.valueOf(rs.getString("type")),
                json.readValue(rs.getString("spec"), ResolvedTrainingJob.class), instant(rs, "created_at"), rs.getInt("epochs_total"),
                JobStatus.valueOf(rs.getString("status")), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getInt("attempt"),
                rs.getString("lease_owner"), instant(rs, "lease_expires_at"), rs.getInt("epochs_completed"),
                rs.getObject("model_id", UUID.class), rs.getString("stop_reason"), (Integer) rs.getObject("best_epoch"),
                rs.getString("error_type"), rs.getString("error_detail"), rs.getString("final_metrics"), rs.getInt("trials_done"),
                rs.getInt("trials_failed"), nullableDouble(rs, "best_score"), rs.getLong("version"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

}
