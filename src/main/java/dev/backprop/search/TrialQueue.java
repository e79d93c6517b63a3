package dev.backprop.search;

import static dev.backprop.platform.SqlColumns.instant;
import static dev.backprop.platform.SqlColumns.timestamp;

import dev.backprop.job.JobStatus;
import dev.backprop.platform.BackpropProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trial_unit table read as a queue: a search's unfinished trials, each claimable by any replica with a
 * lease, as the job table's jobs are ({@code job.JobQueue}). A unit is claimable while its search runs (not
 * once a cancel was requested) and it is queued, or its lease ran out with attempts left. PostgreSQL claims in
 * one {@code FOR UPDATE SKIP LOCKED} statement; other databases (H2, one replica) with a conditional update on
 * the attempt, which only one claimer can win. A search's {@code parallelism} caps its live claims on every replica
 * together: each claim counts them under a lock on the search's job row.
 */
@Repository
class TrialQueue {

    /** The units a claim may take, their search running and its cancel not requested. */
    private static final String CLAIMABLE = "j.status = 'RUNNING' AND (u.status = 'QUEUED' OR u.lease_expires_at < :now) "
            + "AND u.attempt < :maxAttempts";

    private static final String CLAIM_SET = "status = 'RUNNING', attempt = attempt + 1, lease_owner = :owner, "
            + "lease_expires_at = :until, epochs_completed = 0";

    private static final String UNIT_COLUMNS = "job_id, trial_index, params, attempt, parallelism, deadline";

    /** The searches with claimable units one claim looks at, oldest first, for one below its parallelism. */
    private static final int SEARCHES_PER_CLAIM = 8;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TrialRepository trials;
    private final TransactionTemplate transactions;
    private final BackpropProperties.Jobs settings;
    private final boolean claimsInOneStatement;

    TrialQueue(JdbcClient jdbc, JsonMapper json, TrialRepository trials, PlatformTransactionManager transactionManager,
               DataSource dataSource, BackpropProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.trials = trials;
        this.transactions = new TransactionTemplate(transactionManager);
        this.settings = properties.jobs();
        this.claimsInOneStatement = TrialRepository.isPostgres(dataSource);
    }

    /**
     * A claimed trial.
     *
     * @param attempt     its claims so far, this one included: with the owner, what identifies this claim
     * @param parallelism the search's trials at once, on every replica together
     * @param deadline    when the search's time budget ends, or null
     */
    record ClaimedTrial(UUID jobId, int index, Map<String, Object> params, String owner, int attempt, int parallelism,
                        Instant deadline) {
    }

    /** A trial running somewhere: its parameters, its latest epoch and the runner that runs it. */
    record RunningTrial(int index, Map<String, Object> params, int epoch, String owner) {
    }

    /**
     * Queues the trials in {@code order} (their claim order) that have no unit yet, and gives every unit of
     * the search the current parallelism and deadline: a resumed search starts its time budget anew.
     */
    void publish(UUID jobId, List<Integer> order, IntFunction<Map<String, Object>> pointOf, int parallelism, Instant deadline) {
        Set<Integer> queued = new HashSet<>(jdbc.sql("SELECT trial_index FROM trial_unit WHERE job_id = :job")
                .param("job", jobId).query(Integer.class).list());
        transactions.executeWithoutResult(transaction -> {
            jdbc.sql("UPDATE trial_unit SET parallelism = :parallelism, deadline = :deadline WHERE job_id = :job")
                    .param("parallelism", parallelism).param("deadline", deadline == null ? null : timestamp(deadline))
                    .param("job", jobId).update();
            for (int position = 0; position < order.size(); position++) {
                int index = order.get(position);
                if (queued.contains(index)) {
                    continue;
                }
                jdbc.sql("INSERT INTO trial_unit (job_id, trial_index, position, params, status, parallelism, deadline, attempt, "
                                + "epochs_completed) VALUES (:job, :index, :position, :params, 'QUEUED', :parallelism, :deadline, 0, 0)")
                        .param("job", jobId).param("index", index).param("position", position)
                        .param("params", json.writeValueAsString(pointOf.apply(index))).param("parallelism", parallelism)
                        .param("deadline", deadline == null ? null : timestamp(deadline)).update();
            }
        });
    }

    /**
     * Claims one unit for {@code owner}: of search {@code onlyJob} when not null, else of any search, the oldest
     * search's first; never one of a search whose live claims, on every replica, already reach its parallelism.
     */
    Optional<ClaimedTrial> claim(String owner, Instant now, UUID onlyJob) {
        List<UUID> searches = bind(jdbc.sql("SELECT u.job_id FROM trial_unit u JOIN job j ON j.id = u.job_id WHERE " + CLAIMABLE
                + (onlyJob != null ? " AND u.job_id = :onlyJob" : "") + " GROUP BY u.job_id, j.created_at "
                + "ORDER BY j.created_at, u.job_id LIMIT " + SEARCHES_PER_CLAIM), now, onlyJob).query(UUID.class).list();
        for (UUID search : searches) {
            Optional<ClaimedTrial> claimed = transactions.execute(transaction -> claimBelowParallelism(owner, now, search));
            if (claimed != null && claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    /**
     * Claims one unit of {@code search} unless its live claims reach its parallelism, inside the caller's
     * transaction. The search's job row is locked first, so that claims of one search, from any replica, count and
     * claim one after the other: two that counted at once could both take the last free place. The lock lasts one
     * short transaction and is the job row's alone (PostgreSQL's {@code NO KEY UPDATE} lets a trial's row that
     * references the job be written meanwhile).
     */
    private Optional<ClaimedTrial> claimBelowParallelism(String owner, Instant now, UUID search) {
        trials.lockSearch(search);
        boolean full = jdbc.sql("SELECT COUNT(CASE WHEN status = 'RUNNING' AND lease_expires_at >= :now THEN 1 END) AS running, "
                        + "MIN(parallelism) AS cap FROM trial_unit WHERE job_id = :job")
                .param("now", timestamp(now)).param("job", search)
                .query((rs, row) -> rs.getInt("running") >= rs.getInt("cap")).single();
        if (full) {
            return Optional.empty();
        }
        String picked = "SELECT u.job_id, u.trial_index, u.attempt FROM trial_unit u JOIN job j ON j.id = u.job_id WHERE " + CLAIMABLE
                + " AND u.job_id = :onlyJob ORDER BY u.position";
        Instant until = now.plus(settings.leaseDuration());
        if (claimsInOneStatement) {
            // SKIP LOCKED hands each row to one claimer and lets replicas claiming at once pass over it to the next
            return bind(jdbc.sql("WITH picked AS MATERIALIZED (" + picked + " LIMIT 1 FOR UPDATE OF u SKIP LOCKED) "
                    + "UPDATE trial_unit SET " + CLAIM_SET + " WHERE (job_id, trial_index) IN (SELECT job_id, trial_index FROM picked) "
                    + "RETURNING " + UNIT_COLUMNS), now, search)
                    .param("owner", owner).param("until", timestamp(until))
                    .query((rs, row) -> claimed(rs, owner)).optional();
        }
        List<Map.Entry<Integer, Integer>> candidates = new ArrayList<>();
        bind(jdbc.sql(picked + " LIMIT 8"), now, search).query((ResultSet rs) -> {
            candidates.add(Map.entry(rs.getInt("trial_index"), rs.getInt("attempt")));
        });
        for (Map.Entry<Integer, Integer> candidate : candidates) {
            int index = candidate.getKey();
            // the attempt read is the version: of claimers that read the same row, the first update wins
            int won = jdbc.sql("UPDATE trial_unit SET " + CLAIM_SET + " WHERE job_id = :job AND trial_index = :index "
                            + "AND attempt = :seen AND (status = 'QUEUED' OR lease_expires_at < :now)")
                    .param("owner", owner).param("until", timestamp(until)).param("job", search).param("index", index)
                    .param("seen", candidate.getValue()).param("now", timestamp(now)).update();
            if (won == 1) {
                return jdbc.sql("SELECT " + UNIT_COLUMNS + " FROM trial_unit WHERE job_id = :job AND trial_index = :index")
                        .param("job", search).param("index", index).query((rs, row) -> claimed(rs, owner)).optional();
            }
        }
        return Optional.empty();
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Instant now, UUID onlyJob) {
        statement = statement.param("now", timestamp(now)).param("maxAttempts", settings.maxAttempts());
        return onlyJob != null ? statement.param("onlyJob", onlyJob) : statement;
    }

    private ClaimedTrial claimed(ResultSet rs, String owner) throws SQLException {
        return new ClaimedTrial(rs.getObject("job_id", UUID.class), rs.getInt("trial_index"), readParams(rs), owner,
                rs.getInt("attempt"), rs.getInt("parallelism"), instant(rs, "deadline"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readParams(ResultSet rs) throws SQLException {
        return json.readValue(rs.getString("params"), LinkedHashMap.class);
    }

    /**
     * Renews a claim's lease and records its latest epoch.
     *
     * @return false when the trial must stop: its lease was lost, or its search no longer runs (a cancel was
     *         requested, or it ended)
     */
    boolean heartbeat(ClaimedTrial trial, int epoch, Instant now) {
        return jdbc.sql("UPDATE trial_unit SET lease_expires_at = :until, epochs_completed = :epoch WHERE job_id = :job "
                        + "AND trial_index = :index AND lease_owner = :owner AND attempt = :attempt "
                        + "AND EXISTS (SELECT 1 FROM job WHERE id = :job AND status = 'RUNNING')")
                .param("until", timestamp(now.plus(settings.leaseDuration()))).param("epoch", epoch).param("job", trial.jobId())
                .param("index", trial.index()).param("owner", trial.owner()).param("attempt", trial.attempt()).update() == 1;
    }

    /**
     * Stores a claim's finished trial and removes its unit, in one transaction: a trial is either queued or
     * stored, never both and never twice.
     *
     * A retry after a try whose commit the database could not confirm finds the trial stored by this runner and
     * answers true again.
     *
     * @return false when the claim was lost (another runner took the trial over), and nothing was stored
     */
    boolean finish(ClaimedTrial trial, TrialRecord record) {
        return Boolean.TRUE.equals(transactions.execute(transaction -> {
            // the search's lock first, as a claim takes it, so that a claim and a finish never wait for each other
            trials.lockSearch(trial.jobId());
            int removed = jdbc.sql("DELETE FROM trial_unit WHERE job_id = :job AND trial_index = :index AND lease_owner = :owner "
                            + "AND attempt = :attempt")
                    .param("job", trial.jobId()).param("index", trial.index()).param("owner", trial.owner())
                    .param("attempt", trial.attempt()).update();
            if (removed == 1) {
                trials.insertTrial(trial.jobId(), record, trial.owner());
                return true;
            }
            return trial.owner().equals(trials.workers(trial.jobId()).get(trial.index()));
        }));
    }

    /** Gives an interrupted claim's unit back at once, rather than when its lease runs out. */
    void release(ClaimedTrial trial) {
        jdbc.sql("UPDATE trial_unit SET status = 'QUEUED', lease_owner = NULL, lease_expires_at = NULL, epochs_completed = 0 "
                        + "WHERE job_id = :job AND trial_index = :index AND lease_owner = :owner AND attempt = :attempt")
                .param("job", trial.jobId()).param("index", trial.index()).param("owner", trial.owner())
                .param("attempt", trial.attempt()).update();
    }

    /** Drops a claim's unit: its search stopped. */
    void drop(ClaimedTrial trial) {
        jdbc.sql("DELETE FROM trial_unit WHERE job_id = :job AND trial_index = :index AND lease_owner = :owner AND attempt = :attempt")
                .param("job", trial.jobId()).param("index", trial.index()).param("owner", trial.owner())
                .param("attempt", trial.attempt()).update();
    }

    /** Drops the units no runner holds: the search stops starting trials (time budget, failures in a row). */
    void dropUnclaimed(UUID jobId, Instant now) {
        jdbc.sql("DELETE FROM trial_unit WHERE job_id = :job AND (status = 'QUEUED' OR lease_expires_at < :now)")
                .param("job", jobId).param("now", timestamp(now)).update();
    }

    /**
     * Units whose every attempt was claimed and that no runner holds: the runners that took them stopped
     * (crashed, killed, out of memory, shut down) each time, so they are taken no more.
     */
    List<ClaimedTrial> exhausted(UUID jobId, Instant now) {
        return jdbc.sql("SELECT " + UNIT_COLUMNS + ", lease_owner FROM trial_unit WHERE job_id = :job AND attempt >= :maxAttempts "
                        + "AND (status = 'QUEUED' OR lease_expires_at < :now)")
                .param("job", jobId).param("maxAttempts", settings.maxAttempts()).param("now", timestamp(now))
                .query((rs, row) -> claimed(rs, rs.getString("lease_owner"))).list();
    }

    /** Stores a failed trial in place of an exhausted unit ({@link #exhausted}), in one transaction. */
    void giveUp(ClaimedTrial unit, TrialRecord failed) {
        transactions.executeWithoutResult(transaction -> {
            trials.lockSearch(unit.jobId());
            int removed = jdbc.sql("DELETE FROM trial_unit WHERE job_id = :job AND trial_index = :index AND attempt >= :maxAttempts")
                    .param("job", unit.jobId()).param("index", unit.index()).param("maxAttempts", settings.maxAttempts()).update();
            if (removed == 1) {
                trials.insertTrial(unit.jobId(), failed, unit.owner());
            }
        });
    }

    /** The search's status while {@code owner}'s claim {@code attempt} holds it; empty once another runner took it over. */
    Optional<JobStatus> statusIfHeld(UUID jobId, String owner, int attempt) {
        return jdbc.sql("SELECT status FROM job WHERE id = :job AND lease_owner = :owner AND attempt = :attempt")
                .param("job", jobId).param("owner", owner).param("attempt", attempt)
                .query((rs, row) -> JobStatus.valueOf(rs.getString("status"))).optional();
    }

    /** The search's units left, queued or running. */
    int remaining(UUID jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM trial_unit WHERE job_id = :job").param("job", jobId).query(Integer.class).single();
    }

    /** The search's trials running now on any replica, with a live lease. */
    List<RunningTrial> running(UUID jobId, Instant now) {
        return jdbc.sql("SELECT trial_index, params, epochs_completed, lease_owner FROM trial_unit WHERE job_id = :job "
                        + "AND status = 'RUNNING' AND lease_expires_at >= :now ORDER BY trial_index")
                .param("job", jobId).param("now", timestamp(now))
                .query((rs, row) -> new RunningTrial(rs.getInt("trial_index"), readParams(rs), rs.getInt("epochs_completed"),
                        rs.getString("lease_owner")))
                .list();
    }

}
