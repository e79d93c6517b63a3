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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The search_trial table: one row per finished trial, so that a restarted search skips the trials it already ran. */
@Repository
public class TrialRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TrialRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a finished trial; a trial already stored (a race on resume) is left as it is. */
    public void insertTrial(UUID id, TrialRecord trial) {
        insertTrial(id, trial, null);
    }

    /** Stores a finished trial with the runner (replica) that ran it. */
    void insertTrial(UUID id, TrialRecord trial, String worker) {
        bind(jdbc.sql("INSERT INTO search_trial (job_id, trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, "
                        + "error, seed, history, validation_loss, parameter_count, best_epoch, rung, epochs, stop_reason, worker) VALUES (:id, "
                        + ":index, :params, :status, :mean, :std, :folds, :fit, :error, :seed, :history, :validationLoss, "
                        + ":parameterCount, :bestEpoch, :rung, :epochs, :stopReason, :worker)"), id, trial)
                .param("worker", worker).update();
    }

    /**
     * Replaces a stored trial by its run of a higher successive-halving rung: one statement, so that a crash
     * leaves either rung's row (a lower rung's row it replaces is no longer needed: the promotion is implied).
     */
    public void promoteTrial(UUID id, TrialRecord trial) {
        bind(jdbc.sql("UPDATE search_trial SET params = :params, status = :status, score_mean = :mean, score_std = :std, "
                        + "fold_scores = :folds, fit_millis = :fit, error = :error, seed = :seed, history = :history, "
                        + "validation_loss = :validationLoss, parameter_count = :parameterCount, best_epoch = :bestEpoch, rung = :rung, "
                        + "epochs = :epochs, stop_reason = :stopReason WHERE job_id = :id AND trial_index = :index AND rung < :rung"),
                id, trial).update();
    }

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
        return jdbc.sql("SELECT trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, error, seed, "
                        + "validation_loss, parameter_count, best_epoch, rung, epochs, stop_reason" + (withHistory ? ", history" : "") + " FROM search_trial WHERE job_id = :id ORDER BY trial_index")
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
        return jdbc.sql("SELECT trial_index, params, status, score_mean, score_std, fold_scores, fit_millis, error, seed, "
                        + "validation_loss, parameter_count, best_epoch, rung, epochs, stop_reason, history FROM search_trial "
                        + "WHERE job_id = :id AND trial_index = :index")
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
