package dev.backprop.job;

import dev.backprop.platform.ProblemType;
import dev.backprop.security.Caller;
import dev.backprop.security.Quota;
import dev.backprop.security.QuotaMeter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import static dev.backprop.platform.SqlColumns.instant;
import static dev.backprop.platform.SqlColumns.nullableDouble;
import static dev.backprop.platform.SqlColumns.timestamp;
import static dev.backprop.platform.SqlColumns.truncate;
import org.springframework.stereotype.Repository;

/**
 * The job table: jobs with their spec and input documents, state and progress. Status changes are saved
 * with an optimistic version check, so two runners (or a runner and a cancel request) never both win.
 * Claims, leases and admission, the table read as a queue, are {@link JobQueue}'s.
 * The documents' shapes belong to the job types ({@link JobDocuments}). Every row has an owner, the tenant
 * whose caller submitted it: the reads of the API ({@code findOwned}, {@code findPage}, {@code count}) filter
 * by it, the runner's do not.
 */
@Repository
public class JobRepository implements QuotaMeter {

    /** Every column a {@link Job} is restored from, for the queue's statements too. */
    static final String COLUMNS = "id, type, status, spec, created_at, started_at, finished_at, attempt, lease_owner, "
            + "lease_expires_at, epochs_completed, epochs_total, model_id, stop_reason, best_epoch, error_type, error_detail, "
            + "final_metrics, trials_total, trials_done, trials_failed, best_score, search_phase, phase_done, phase_total, phase_ends_at, version";

    private final JdbcClient jdbc;
    private final JobDocuments documents;

    JobRepository(JdbcClient jdbc, JobDocuments documents) {
        this.jdbc = jdbc;
        this.documents = documents;
    }

    /** Thrown when a save lost a race: someone else changed the job first. */
    public static final class ConcurrentUpdateException extends RuntimeException {
        ConcurrentUpdateException(UUID id) {
            super("job " + id + " was changed concurrently");
        }
    }

    /** Stores a new job with its input, owned by the current caller's tenant and naming its key (the audit). */
    public void insert(Job job, JobInput input) {
        Caller caller = Caller.current();
        JdbcClient.StatementSpec statement = jdbc.sql("INSERT INTO job (" + COLUMNS + ", data, dataset_id, owner, created_by) VALUES (:id, :type, :status, :spec, :createdAt, :startedAt, :finishedAt, "
                        + ":attempt, :leaseOwner, :leaseExpiresAt, :epochsCompleted, :epochsTotal, :modelId, :stopReason, :bestEpoch, "
                        + ":errorType, :errorDetail, :finalMetrics, :trialsTotal, :trialsDone, :trialsFailed, :bestScore, :phase, :phaseDone, :phaseTotal, :phaseEndsAt, 0, :data, :datasetId, "
                        + ":owner, :createdBy)")
                .param("owner", caller.tenant()).param("createdBy", caller.keyName());
        bindState(statement, job)
                .param("type", job.type().name())
                .param("spec", documents.writeSpec(job.spec()))
                .param("createdAt", timestamp(job.createdAt()))
                .param("epochsTotal", job.epochsTotal())
                .param("trialsTotal", job.trialsTotal())
                .param("data", documents.writeInput(input.storedForm()))
                .param("datasetId", input.datasetId())
                .update();
    }

    /**
     * Saves a job's state if nobody changed it since it was read (or last saved through this copy).
     *
     * @throws ConcurrentUpdateException when the stored version moved on
     */
    public void save(Job job) {
        JdbcClient.StatementSpec statement = jdbc.sql("UPDATE job SET status = :status, started_at = :startedAt, finished_at = :finishedAt, "
                        + "attempt = :attempt, lease_owner = :leaseOwner, lease_expires_at = :leaseExpiresAt, "
                        + "epochs_completed = :epochsCompleted, model_id = :modelId, stop_reason = :stopReason, "
                        + "best_epoch = :bestEpoch, error_type = :errorType, error_detail = :errorDetail, "
                        + "final_metrics = :finalMetrics, trials_done = :trialsDone, trials_failed = :trialsFailed, best_score = :bestScore, "
                        + "search_phase = :phase, phase_done = :phaseDone, phase_total = :phaseTotal, phase_ends_at = :phaseEndsAt, "
                + "version = version + 1 WHERE id = :id AND version = :version");
        int updated = bindState(statement, job).param("version", job.version()).update();
        if (updated != 1) {
            throw new ConcurrentUpdateException(job.id());
        }
        job.saved();
    }

    /** Binds the id and every column a transition can change. */
    private JdbcClient.StatementSpec bindState(JdbcClient.StatementSpec statement, Job job) {
        JobDocuments.StoredResult result = job.result() == null ? null : documents.writeResult(job.result());
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
                .param("stopReason", result == null ? null : result.stopReason())
                .param("bestEpoch", result == null ? null : result.bestEpoch())
                .param("errorType", job.error() == null ? null : job.error().type().slug())
                .param("errorDetail", job.error() == null ? null : truncate(job.error().detail(), 2000))
                .param("finalMetrics", result == null ? null : result.document())
                .param("trialsDone", job.trialsDone())
                .param("trialsFailed", job.trialsFailed())
                .param("bestScore", job.bestScore())
                .param("phase", job.phase() == null ? null : job.phase().name())
                .param("phaseDone", job.phaseDone())
                .param("phaseTotal", job.phaseTotal())
                .param("phaseEndsAt", timestamp(job.phaseEndsAt()));
    }

    public Optional<Job> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM job WHERE id = :id").param("id", id).query(this::map).optional();
    }

    /** A job of one tenant: another tenant's job is absent, as if it did not exist. */
    public Optional<Job> findOwned(UUID id, String owner) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM job WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(this::map).optional();
    }

    /** Records who cancelled a job (the audit). */
    public void recordCancel(UUID id, String by) {
        jdbc.sql("UPDATE job SET cancelled_by = :by WHERE id = :id").param("by", by).param("id", id).update();
    }

    /** The key names that created and cancelled a job (the audit); null ones for jobs from before keys. */
    public record AuditTrail(String createdBy, String cancelledBy) {
    }

    public Optional<AuditTrail> findAuditTrail(UUID id) {
        return jdbc.sql("SELECT created_by, cancelled_by FROM job WHERE id = :id").param("id", id)
                .query((rs, n) -> new AuditTrail(rs.getString("created_by"), rs.getString("cancelled_by"))).optional();
    }

    /** The input a job was submitted with, in its stored form. */
    public JobInput findInput(UUID id) {
        return documents.readInput(jdbc.sql("SELECT data FROM job WHERE id = :id").param("id", id).query(String.class).single());
    }

    /** A page of the current caller's tenant's jobs, newest first, optionally of some statuses only. */
    public List<Job> findPage(Collection<JobStatus> statuses, int page, int size) {
        return findPage(Caller.current().tenant(), statuses, Set.of(), page, size);
    }

    /** The current caller's tenant's jobs matching the filter. */
    public long count(Collection<JobStatus> statuses) {
        return count(Caller.current().tenant(), statuses, Set.of());
    }

    /** A page of one tenant's jobs, newest first, optionally of some statuses and some types only (empty: any). */
    public List<Job> findPage(String owner, Collection<JobStatus> statuses, Collection<JobType> types, int page, int size) {
        return filtered("SELECT " + COLUMNS + " FROM job", " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
                owner, statuses, types).param("limit", size).param("offset", (long) page * size).query(this::map).list();
    }

    /** One tenant's jobs matching the filter, for paging. */
    public long count(String owner, Collection<JobStatus> statuses, Collection<JobType> types) {
        return filtered("SELECT COUNT(*) FROM job", "", owner, statuses, types).query(Long.class).single();
    }

    private JdbcClient.StatementSpec filtered(String select, String tail, String owner, Collection<JobStatus> statuses,
                                              Collection<JobType> types) {
        String where = " WHERE owner = :owner" + (statuses.isEmpty() ? "" : " AND status IN (:statuses)")
                + (types.isEmpty() ? "" : " AND type IN (:types)");
        JdbcClient.StatementSpec statement = jdbc.sql(select + where + tail).param("owner", owner);
        if (!statuses.isEmpty()) {
            statement = statement.param("statuses", statuses.stream().map(Enum::name).toList());
        }
        if (!types.isEmpty()) {
            statement = statement.param("types", types.stream().map(Enum::name).toList());
        }
        return statement;
    }

    @Override
    public Set<Quota> quotas() {
        return Set.of(Quota.ACTIVE_JOBS, Quota.CONCURRENT_SEARCHES);
    }

    /** Queued and running jobs (or searches only) of a tenant. */
    @Override
    public long usage(Quota quota, String tenant) {
        String searches = quota == Quota.CONCURRENT_SEARCHES ? " AND type <> 'TRAINING'" : "";
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE owner = :owner AND status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')" + searches)
                .param("owner", tenant).query(Long.class).single();
    }

    /** Queued and running jobs (or searches only) of the service; its capacity is the queue's, not a quota's. */
    @Override
    public long serviceUsage(Quota quota) {
        String searches = quota == Quota.CONCURRENT_SEARCHES ? " AND type <> 'TRAINING'" : "";
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')" + searches)
                .query(Long.class).single();
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

    /**
     * Records the phase a running auto search is in, a hint written without a version check, as its trial counts.
     *
     * @param endsAt when the phase expects to end by its own estimate, or null for none
     */
    public void updateSearchPhase(UUID id, String owner, SearchPhase phase, int done, int total, Instant endsAt) {
        jdbc.sql("UPDATE job SET search_phase = :phase, phase_done = :done, phase_total = :total, phase_ends_at = :endsAt "
                        + "WHERE id = :id AND lease_owner = :owner")
                .param("phase", phase.name()).param("done", done).param("total", total).param("endsAt", timestamp(endsAt))
                .param("id", id).param("owner", owner).update();
    }

    /** Jobs in the given status, for the gauges. */
    public long countByStatus(JobStatus status) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status = :status").param("status", status.name())
                .query(Long.class).single();
    }

    /** Queued and running jobs that train on a data set. */
    public long countActiveUsing(UUID datasetId) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE dataset_id = :id AND status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')")
                .param("id", datasetId).query(Long.class).single();
    }

    /** Queued and running jobs across all runners, for admission. */
    public long countActive() {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE status IN ('QUEUED', 'RUNNING', 'CANCEL_REQUESTED')")
                .query(Long.class).single();
    }

    /** Deletes a job; its epoch history and trials go with it (ON DELETE CASCADE). */
    public void delete(UUID id) {
        jdbc.sql("DELETE FROM job WHERE id = :id").param("id", id).update();
    }

    /** A job from a row of {@link #COLUMNS}. */
    Job map(ResultSet rs, int row) throws SQLException {
        return Job.restore(rs.getObject("id", UUID.class), JobType.valueOf(rs.getString("type")),
                documents.readSpec(JobType.valueOf(rs.getString("type")), rs.getString("spec")), instant(rs, "created_at"), rs.getInt("epochs_total"),
                JobStatus.valueOf(rs.getString("status")), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getInt("attempt"),
                rs.getString("lease_owner"), instant(rs, "lease_expires_at"), rs.getInt("epochs_completed"),
                rs.getObject("model_id", UUID.class), result(rs), error(rs), rs.getInt("trials_done"),
                rs.getInt("trials_failed"), nullableDouble(rs, "best_score"),
                rs.getString("search_phase") == null ? null : SearchPhase.valueOf(rs.getString("search_phase")),
                rs.getInt("phase_done"), rs.getInt("phase_total"), instant(rs, "phase_ends_at"), rs.getLong("version"));
    }

    private JobResult result(ResultSet rs) throws SQLException {
        String stopReason = rs.getString("stop_reason");
        return stopReason == null ? null
                : documents.readResult(new JobDocuments.StoredResult(stopReason, (Integer) rs.getObject("best_epoch"),
                rs.getString("final_metrics")));
    }

    private static JobError error(ResultSet rs) throws SQLException {
        String type = rs.getString("error_type");
        return type == null ? null : new JobError(ProblemType.ofSlug(type), rs.getString("error_detail"));
    }
}
