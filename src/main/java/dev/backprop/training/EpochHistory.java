package dev.backprop.training;

import static dev.backprop.platform.SqlColumns.nullableDouble;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The job_epoch table: a training job's per-epoch history, appended in batches while it runs. */
@Repository
public class EpochHistory {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    EpochHistory(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
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
        return findEpochsAfter(id, 0);
    }

    /** A job's history after an epoch, in epoch order. */
    public List<EpochRecord> findEpochsAfter(UUID id, long epoch) {
        return jdbc.sql("SELECT epoch, loss, validation_loss, metric, validation_metric, learning_rate, elapsed_ms FROM job_epoch "
                        + "WHERE job_id = :id AND epoch > :after ORDER BY epoch")
                .param("id", id).param("after", epoch)
                .query((rs, n) -> new EpochRecord(rs.getInt("epoch"), rs.getDouble("loss"), nullableDouble(rs, "validation_loss"),
                        nullableDouble(rs, "metric"), nullableDouble(rs, "validation_metric"), rs.getDouble("learning_rate"),
                        rs.getLong("elapsed_ms")))
                .list();
    }
}
