package dev.backprop.search;

import static dev.backprop.platform.SqlColumns.nullableDouble;
import static dev.backprop.platform.SqlColumns.truncate;

import dev.backprop.platform.PackedArrays;
import dev.backprop.training.EpochRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search_trial table: one row per finished trial, so that a restarted search skips the trials it already ran,
 * numbered in the order the trials were stored (its {@code completion_sequence}, the id of the trial's event).
 */
@Repository
public class TrialRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final String lockClause;

    TrialRepository(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactionManager, DataSource dataSource) {
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
        // PostgreSQL's NO KEY UPDATE lets rows that reference the job (trials, units) be written meanwhile
        this.lockClause = isPostgres(dataSource) ? "FOR NO KEY UPDATE" : "FOR UPDATE";
    }

    static boolean isPostgres(DataSource dataSource) {
        try {
            return DatabaseDriver.fromProductName(JdbcUtils.extractDatabaseMetaData(dataSource,
                    DatabaseMetaData::getDatabaseProductName)) == DatabaseDriver.POSTGRESQL;
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the trials are stored in", e);
        }
    }

    /** A stored trial with its place in the order the search's trials were stored (from 1): its event's id. */
    public record StoredTrial(long sequence, TrialRecord trial) {
    }

    /**
     * Locks the search's job row until the caller's transaction ends: what numbers its trials one after the other
     * and what a claim of one of its units counts under.
     */
    void lockSearch(UUID id) {
        jdbc.sql("SELECT id FROM job WHERE id = :job " + lockClause).param("job", id).query(UUID.class).optional();
    }

    /**
     * Stores a finished trial and returns its sequence. A trial already stored, as by an earlier try whose commit the
     * database could not confirm, is left as it is and its sequence returned: a retried store is idempotent.
     */
    public long insertTrial(UUID id, TrialRecord trial) {
        return insertTrial(id, trial, null);
    }

    /** Stores a finished trial with the runner (replica) that ran it; see {@link #insertTrial(UUID, TrialRecord)}. */
    long insertTrial(UUID id, TrialRecord trial, String worker) {
        return transactions.execute(transaction -> {
            long next = nextSequence(id);
            Optional<Long> stored = sequenceOf(id, trial.index());
            if (stored.isPresent()) {
                return stored.get();
            }
            bind(jdbc.sql("INSERT INTO search_trial (job_id, trial_index, params, status, score_mean, score_std, fold_scores, "
                            + "fit_millis, error, seed, history, validation_loss, parameter_count, best_epoch, rung, epochs, stop_reason, "
                            + "worker, completion_sequence) VALUES (:id, :index, :params, :status, :mean, :std, :folds, :fit, :error, "
                            + ":seed, :history, :validationLoss, :parameterCount, :bestEpoch, :rung, :epochs, :stopReason, :worker, "
                            + ":sequence)"), id, trial)
                    .param("worker", worker).param("sequence", next).update();
            return next;
        });
    }

    /** The sequence the search's next stored trial takes, under the search's lock (taken here, held to the commit). */
    private long nextSequence(UUID id) {
        lockSearch(id);
        return jdbc.sql("SELECT COALESCE(MAX(completion_sequence), 0) + 1 FROM search_trial WHERE job_id = :id").param("id", id)
                .query(Long.class).single();
    }

    private Optional<Long> sequenceOf(UUID id, int index) {
        return jdbc.sql("SELECT completion_sequence FROM search_trial WHERE job_id = :id AND trial_index = :index")
                .param("id", id).param("index", index).query(Long.class).optional();
    }

    /**
     * Replaces a stored trial by its run of a higher successive-halving rung, which takes the search's next sequence:
     * one statement, so that a crash leaves either rung's row (a lower rung's row it replaces is no longer needed: the
     * promotion is implied). A retry of a promotion already stored changes nothing.
     *
     * @return the trial's sequence, its new one once promoted
     */
    public long promoteTrial(UUID id, TrialRecord trial) {
        return transactions.execute(transaction -> {
            long next = nextSequence(id);
            bind(jdbc.sql("UPDATE search_trial SET params = :params, status = :status, score_mean = :mean, score_std = :std, "
                            + "fold_scores = :folds, fit_millis = :fit, error = :error, seed = :seed, history = :history, "
                            + "validation_loss = :validationLoss, parameter_count = :parameterCount, best_epoch = :bestEpoch, "
                            + "rung = :rung, epochs = :epochs, stop_reason = :stopReason, completion_sequence = :sequence "
                            + "WHERE job_id = :id AND trial_index = :index AND rung < :rung"), id, trial)
                    .param("sequence", next).update();
            return sequenceOf(id, trial.index()).orElseThrow(() -> new IllegalStateException(
                    "trial " + trial.index() + " of search " + id + " has no stored rung to promote"));
        });
    }

    /**
     * Stores an auto search's re-score of a trial ({@link Rescore}): its fold scores of both splits, their mean and
     * spread, their mean validation loss and best epoch, its time of both, as rung 1. Its sequence (the order the trials
     * ended in, which the stall rule counted and followers were told) stays; a retry changes nothing.
     */
    public void rescoreTrial(UUID id, TrialRecord trial) {
        bind(jdbc.sql("UPDATE search_trial SET score_mean = :mean, score_std = :std, fold_scores = :folds, fit_millis = :fit, "
                        + "validation_loss = :validationLoss, best_epoch = :bestEpoch, rung = :rung "
                        + "WHERE job_id = :id AND trial_index = :index AND rung < :rung"), id, trial).update();
    }

    /** A search's trials stored after {@code afterSequence}, in the order they were stored, without their histories. */
    public List<StoredTrial> findTrialsAfter(UUID id, long afterSequence) {
        return jdbc.sql("SELECT completion_sequence, " + SUMMARY_COLUMNS + " FROM search_trial WHERE job_id = :id "
                        + "AND completion_sequence > :after ORDER BY completion_sequence")
                .param("id", id).param("after", afterSequence)
                .query((rs, n) -> new StoredTrial(rs.getLong("completion_sequence"), trial(rs, false)))
                .list();
    }

    /** The sequence of the search's trial stored last, 0 before the first. */
    long lastSequence(UUID id) {
        return jdbc.sql("SELECT COALESCE(MAX(completion_sequence), 0) FROM search_trial WHERE job_id = :id").param("id", id)
                .query(Long.class).single();
    }

    private static final String SUMMARY_COLUMNS = "trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, "
            + "error, seed, validation_loss, parameter_count, best_epoch, rung, epochs, stop_reason";

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, UUID id, TrialRecord trial) {
        return statement.param("id", id).param("index", trial.index()).param("params", json.writeValueAsString(trial.params()))
                .param("status", trial.status()).param("mean", trial.score()).param("std", trial.scoreStd())
                .param("folds", trial.foldScores() == null ? null : json.writeValueAsString(trial.foldScores()))
                .param("fit", trial.fitMillis()).param("error", truncate(trial.error(), 2000)).param("seed", trial.seed())
                .param("history", trial.history() == null ? null : encodeHistory(trial.history()))
                .param("validationLoss", trial.validationLoss()).param("parameterCount", trial.parameterCount())
                .param("bestEpoch", trial.bestEpoch()).param("rung", trial.rung()).param("epochs", trial.epochs())
                .param("stopReason", trial.stopReason());
    }

    /** A search's finished trials, by index; {@code withHistory} also reads their epoch histories. */
    public List<TrialRecord> findTrials(UUID id, boolean withHistory) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + (withHistory ? ", history" : "") + " FROM search_trial WHERE job_id = :id "
                        + "ORDER BY trial_index")
                .param("id", id)
                .query((rs, n) -> trial(rs, withHistory))
                .list();
    }

    private TrialRecord trial(java.sql.ResultSet rs, boolean withHistory) throws java.sql.SQLException {
        return new TrialRecord(rs.getInt("trial_index"), readMap(rs.getString("params")), rs.getString("status"),
                nullableDouble(rs, "score_mean"), nullableDouble(rs, "score_std"), readDoubles(rs.getString("fold_scores")),
                rs.getLong("fit_millis"), rs.getString("error"), rs.getLong("seed"),
                withHistory ? decodeHistory(rs.getString("history")) : null, nullableDouble(rs, "validation_loss"),
                (Long) rs.getObject("parameter_count", Long.class), (Integer) rs.getObject("best_epoch", Integer.class),
                rs.getInt("rung"), (Integer) rs.getObject("epochs", Integer.class), rs.getString("stop_reason"));
    }

    /**
     * One finished trial with its epoch history (its first fold's with cross-validation), or empty when the
     * search has no finished trial of that index.
     */
    public Optional<TrialRecord> findTrial(UUID id, int index) {
        return jdbc.sql("SELECT " + SUMMARY_COLUMNS + ", history FROM search_trial WHERE job_id = :id AND trial_index = :index")
                .param("id", id).param("index", index).query((rs, n) -> trial(rs, true)).optional();
    }

    /** The runner that ran each of a search's trials, by index, for the trials that recorded one. */
    Map<Integer, String> workers(UUID id) {
        Map<Integer, String> workers = new java.util.HashMap<>();
        jdbc.sql("SELECT trial_index, worker FROM search_trial WHERE job_id = :id AND worker IS NOT NULL").param("id", id)
                .query((java.sql.ResultSet rs) -> {
                    workers.put(rs.getInt("trial_index"), rs.getString("worker"));
                });
        return workers;
    }

    /** The mean fit time of a search's finished trials in milliseconds, or null before the first. */
    public Double meanFitMillis(UUID id) {
        // AVG over no rows is one row of NULL
        List<Double> mean = jdbc.sql("SELECT AVG(CAST(fit_millis AS DOUBLE PRECISION)) FROM search_trial WHERE job_id = :id")
                .param("id", id).query(Double.class).list();
        return mean.isEmpty() ? null : mean.get(0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readMap(String text) {
        return json.readValue(text, LinkedHashMap.class);
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
        double[] values = new double[history.size() * HISTORY_FIELDS];
        int i = 0;
        for (EpochRecord e : history) {
            values[i++] = e.epoch();
            values[i++] = e.loss();
            values[i++] = orNaN(e.validationLoss());
            values[i++] = orNaN(e.metric());
            values[i++] = orNaN(e.validationMetric());
            values[i++] = e.learningRate();
            values[i++] = e.elapsedMs();
        }
        return PackedArrays.encodeDoubles(values);
    }

    static List<EpochRecord> decodeHistory(String text) {
        if (text == null) {
            return null;
        }
        double[] values = PackedArrays.decodeDoubles(text);
        List<EpochRecord> history = new ArrayList<>(values.length / HISTORY_FIELDS);
        for (int i = 0; i + HISTORY_FIELDS <= values.length; i += HISTORY_FIELDS) {
            history.add(new EpochRecord((int) values[i], values[i + 1], orNull(values[i + 2]), orNull(values[i + 3]),
                    orNull(values[i + 4]), values[i + 5], (long) values[i + 6]));
        }
        return history;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
