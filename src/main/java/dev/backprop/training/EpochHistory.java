package dev.backprop.training;

import static dev.backprop.platform.SqlColumns.nullableDouble;

import dev.backprop.security.Quota;
import dev.backprop.security.QuotaMeter;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job_epoch table: a training job's per-epoch history, appended in batches while it runs, and job_history, the
 * number of epochs each job stores (the {@code history-epochs} quota's usage), written in the same transaction.
 */
@Repository
public class EpochHistory implements QuotaMeter {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;

    EpochHistory(JdbcClient jdbc, NamedParameterJdbcTemplate batch, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Appends epochs to a job's history, all or none. */
    public void appendEpochs(UUID id, List<EpochRecord> epochs) {
        if (epochs.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(transaction -> {
            insert(id, epochs);
            if (jdbc.sql("UPDATE job_history SET stored_epochs = stored_epochs + :added WHERE job_id = :id")
                    .param("added", epochs.size()).param("id", id).update() == 0) {
                jdbc.sql("INSERT INTO job_history (job_id, stored_epochs) VALUES (:id, :added)")
                        .param("id", id).param("added", epochs.size()).update();
            }
        });
    }

    /**
     * Writes epochs (in order) after a write of them failed without saying whether it committed (the connection
     * was lost): whatever the failed write left between their first and last epoch is replaced, all or none.
     */
    public void rewriteEpochs(UUID id, List<EpochRecord> epochs) {
        if (epochs.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(transaction -> {
            jdbc.sql("DELETE FROM job_epoch WHERE job_id = :id AND epoch BETWEEN :first AND :last").param("id", id)
                    .param("first", epochs.get(0).epoch()).param("last", epochs.get(epochs.size() - 1).epoch()).update();
            insert(id, epochs);
            jdbc.sql("DELETE FROM job_history WHERE job_id = :id").param("id", id).update();
            jdbc.sql("INSERT INTO job_history (job_id, stored_epochs) SELECT :id, COUNT(*) FROM job_epoch WHERE job_id = :id")
                    .param("id", id).update();
        });
    }

    private void insert(UUID id, List<EpochRecord> epochs) {
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
        transactions.executeWithoutResult(transaction -> {
            jdbc.sql("DELETE FROM job_epoch WHERE job_id = :id").param("id", id).update();
            jdbc.sql("DELETE FROM job_history WHERE job_id = :id").param("id", id).update();
        });
    }

    @Override
    public Set<Quota> quotas() {
        return Set.of(Quota.HISTORY_EPOCHS);
    }

    /** The epochs stored by a tenant's jobs. */
    @Override
    public long usage(Quota quota, String tenant) {
        return jdbc.sql("SELECT COALESCE(SUM(h.stored_epochs), 0) FROM job_history h JOIN job j ON j.id = h.job_id WHERE j.owner = :owner")
                .param("owner", tenant).query(Long.class).single();
    }

    @Override
    public long serviceUsage(Quota quota) {
        return jdbc.sql("SELECT COALESCE(SUM(stored_epochs), 0) FROM job_history").query(Long.class).single();
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
