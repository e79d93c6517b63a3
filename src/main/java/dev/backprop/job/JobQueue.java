package dev.backprop.job;

import static dev.backprop.platform.SqlColumns.timestamp;

import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ServiceFullException;
import java.sql.DatabaseMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job table read as a queue, shared by every replica on the database: admission (a job is stored only
 * while queued and running jobs are below capacity), claims (a runner takes up to N claimable jobs with a
 * lease) and lease renewal. The rules of a claim are {@link Job#claim}'s; where PostgreSQL claims in one
 * statement, that statement repeats the common case of those rules in SQL, and {@code JobQueueTest} proves
 * the two agree on H2 and PostgreSQL.
 *
 * <p>It is a class of the {@code job} package rather than a package of its own because it restores
 * {@link Job}s from rows ({@code Job.restore}, the version) and both of its users, the runner and the
 * service, live here: a {@code job.queue} package would need those opened up and would form a package
 * cycle with {@code job}.
 */
@Component
class JobQueue {

    /** {@link Job#isClaimable}: queued, or leased with a lease that ran out. */
    private static final String CLAIMABLE = "(status = 'QUEUED' OR (status IN ('RUNNING', 'CANCEL_REQUESTED') "
            + "AND lease_expires_at < :now))";

    /**
     * The claimable jobs that {@link Job#claim} ends instead of running: a cancel was requested, or the
     * attempts are used up. With {@link #RUNNABLE} it splits {@link #CLAIMABLE} along claim's two early returns.
     */
    private static final String ENDS_AT_CLAIM = CLAIMABLE + " AND (status = 'CANCEL_REQUESTED' OR attempt >= :maxAttempts)";

    /** The claimable jobs that {@link Job#claim} runs. */
    private static final String RUNNABLE = "(status = 'QUEUED' OR (status = 'RUNNING' AND lease_expires_at < :now)) "
            + "AND attempt < :maxAttempts";

    /**
     * The transition {@link Job#claim} applies to a job it runs, in SQL, plus the version bump of
     * {@link JobRepository#save}. The ids are picked in a MATERIALIZED CTE, not an {@code IN (subquery)}:
     * the planner may run a subquery again for every row of a nested-loop semi join, and each run would
     * lock another N rows past the LIMIT.
     */
    private static final String CLAIM_IN_ONE_STATEMENT = "WITH picked AS MATERIALIZED (SELECT id FROM job WHERE " + RUNNABLE
            + " ORDER BY created_at, id LIMIT :limit FOR UPDATE SKIP LOCKED) "
            + "UPDATE job SET status = 'RUNNING', attempt = attempt + 1, lease_owner = :owner, lease_expires_at = :leaseExpiresAt, "
            + "started_at = :now, epochs_completed = 0, trials_done = 0, trials_failed = 0, best_score = NULL, "
            + "search_phase = NULL, phase_done = 0, phase_total = 0, phase_ends_at = NULL, "
            + "version = version + 1 WHERE id IN (SELECT id FROM picked) RETURNING " + JobRepository.COLUMNS;

    /**
     * Claimable rows read beyond the N wanted on the optimistic path: rows another runner wins, or that end at
     * claim time, do not count, and a few more keep one poll from coming back short because of them.
     */
    private static final int CANDIDATES_BEYOND_WANTED = 8;

    private static final Comparator<Job> OLDEST_FIRST = Comparator.comparing(Job::createdAt).thenComparing(Job::id);

    private final JdbcClient jdbc;
    private final JobRepository jobs;
    private final JobEvents events;
    private final TransactionTemplate transactions;
    private final BackpropProperties.Jobs settings;
    private final boolean claimsInOneStatement;

    JobQueue(JdbcClient jdbc, JobRepository jobs, JobEvents events, DataSource dataSource,
             PlatformTransactionManager transactionManager, BackpropProperties properties) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.settings = properties.jobs();
        this.claimsInOneStatement = databaseOf(dataSource) == DatabaseDriver.POSTGRESQL;
    }

    private static DatabaseDriver databaseOf(DataSource dataSource) {
        try {
            return DatabaseDriver.fromProductName(JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the job queue runs on", e);
        }
    }

    /**
     * Takes up to {@code wanted} claimable jobs for {@code owner}, oldest first, each with a lease from
     * {@code now}. Jobs that a claim ends instead (cancel requested, attempts used up) are ended on the way,
     * their status event published, and not returned.
     *
     * @return the jobs {@code owner} now runs, no more than {@code wanted}, oldest first
     */
    List<Job> claim(String owner, int wanted, Instant now) {
        if (wanted <= 0) {
            return List.of();
        }
        if (!claimsInOneStatement) {
            return claimOneByOne(CLAIMABLE, owner, wanted, now);
        }
        // The rare outcomes go through the aggregate itself, so that their rules (and the failure's wording)
        // live in Job alone; the predicate makes it start nothing, but should it, those jobs count.
        List<Job> taken = new ArrayList<>(claimOneByOne(ENDS_AT_CLAIM, owner, wanted, now));
        if (taken.size() < wanted) {
            taken.addAll(claimInOneStatement(owner, wanted - taken.size(), now));
        }
        taken.sort(OLDEST_FIRST);
        return taken;
    }

    /**
     * Claims rows through {@link Job#claim} and the versioned {@link JobRepository#save}: a row another runner
     * changed first is skipped, so two runners never both win. Any database can do this; only a lost race
     * costs a round trip.
     */
    private List<Job> claimOneByOne(String candidates, String owner, int wanted, Instant now) {
        List<Job> found = jdbc.sql("SELECT " + JobRepository.COLUMNS + " FROM job WHERE " + candidates
                        + " ORDER BY created_at, id LIMIT :limit")
                .param("now", timestamp(now)).param("maxAttempts", settings.maxAttempts())
                .param("limit", wanted + CANDIDATES_BEYOND_WANTED).query(jobs::map).list();
        List<Job> taken = new ArrayList<>();
        for (Job job : found) {
            if (taken.size() == wanted) {
                break;
            }
            if (!job.isClaimable(now)) {
                continue;
            }
            boolean runs = job.claim(owner, now, settings.leaseDuration(), settings.maxAttempts());
            try {
                jobs.save(job);
            } catch (JobRepository.ConcurrentUpdateException e) {
                continue;
            }
            if (runs) {
                taken.add(job);
            } else {
                events.publish(job.id(), JobEvent.status(job));
            }
        }
        return taken;
    }

    /**
     * Claims in one statement on PostgreSQL: {@code FOR UPDATE SKIP LOCKED} hands each row to one claimer and
     * lets concurrent claimers pass over it to the next, so replicas polling at once do not all contend for
     * the same oldest rows, and a claim is one round trip.
     */
    private List<Job> claimInOneStatement(String owner, int wanted, Instant now) {
        return jdbc.sql(CLAIM_IN_ONE_STATEMENT)
                .param("now", timestamp(now)).param("maxAttempts", settings.maxAttempts()).param("limit", wanted)
                .param("owner", owner).param("leaseExpiresAt", timestamp(now.plus(settings.leaseDuration())))
                .query(jobs::map).list();
    }

    /**
     * Extends the leases of the jobs {@code owner} runs to {@code now} plus the lease duration: the runner's
     * heartbeat, which also learns of cancel requests made on other replicas.
     *
     * @return the status of each of those jobs that {@code owner} still holds; a job missing from it was lost
     *         (another runner took it over after its lease ran out)
     */
    Map<UUID, JobStatus> renew(String owner, Collection<UUID> ids, Instant now) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String held = " WHERE id IN (:ids) AND lease_owner = :owner AND status IN ('RUNNING', 'CANCEL_REQUESTED')";
        jdbc.sql("UPDATE job SET lease_expires_at = :until" + held)
                .param("until", timestamp(now.plus(settings.leaseDuration()))).param("ids", ids).param("owner", owner).update();
        return jdbc.sql("SELECT id, status FROM job" + held).param("ids", ids).param("owner", owner)
                .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), JobStatus.valueOf(rs.getString("status"))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Stores a new job with its input if queued and running jobs, across every replica, are below the
     * capacity (this replica's workers plus {@code backprop.jobs.queue-capacity}); either way the answer is
     * durable when this returns.
     *
     * <p>The job is inserted first, then the single {@code job_admission} row is locked and the active jobs
     * counted, and the transaction commits or rolls back. Admissions thus take turns only for the count, not
     * for writing a large input, and each one counts every job admitted before it: those committed before
     * releasing the lock it waited for.
     *
     * @throws ServiceFullException when the service is at capacity; nothing is stored
     */
    void admit(Job job, JobInput input) {
        long capacity = (long) settings.effectiveWorkers() + settings.queueCapacity();
        Long othersWhenFull = transactions.execute(transaction -> {
            jobs.insert(job, input);
            jdbc.sql("SELECT id FROM job_admission WHERE id = 1 FOR UPDATE").query(Integer.class).single();
            long activeWithThisOne = jobs.countActive();
            if (activeWithThisOne <= capacity) {
                return null;
            }
            transaction.setRollbackOnly();
            return activeWithThisOne - 1;
        });
        if (othersWhenFull != null) {
            throw new ServiceFullException("the service holds " + othersWhenFull + " queued and running jobs, its capacity; retry later",
                    settings.retryAfter());
        }
    }
}
