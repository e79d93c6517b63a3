package dev.backprop.security;

import static dev.backprop.platform.SqlColumns.instant;
import static dev.backprop.platform.SqlColumns.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant table, with each tenant's own quota limits (null columns: the configured defaults). */
@Repository
class TenantRepository {

    private final JdbcClient jdbc;

    TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Tenant tenant) {
        jdbc.sql("INSERT INTO tenant (id, name, created_at, max_dataset_bytes, max_models, max_active_jobs, max_concurrent_searches, "
                        + "max_datasets, max_history_epochs) "
                        + "VALUES (:id, :name, :createdAt, :datasetBytes, :models, :activeJobs, :searches, :datasets, :historyEpochs)")
                .param("id", tenant.id()).param("name", tenant.name()).param("createdAt", timestamp(tenant.createdAt()))
                .param("datasetBytes", tenant.quotas().get(Quota.DATASET_BYTES))
                .param("models", tenant.quotas().get(Quota.MODELS))
                .param("activeJobs", tenant.quotas().get(Quota.ACTIVE_JOBS))
                .param("searches", tenant.quotas().get(Quota.CONCURRENT_SEARCHES))
                .param("datasets", tenant.quotas().get(Quota.DATASETS))
                .param("historyEpochs", tenant.quotas().get(Quota.HISTORY_EPOCHS))
                .update();
    }

    Optional<Tenant> find(String id) {
        return jdbc.sql("SELECT * FROM tenant WHERE id = :id").param("id", id).query(TenantRepository::map).optional();
    }

    List<Tenant> findAll() {
        return jdbc.sql("SELECT * FROM tenant ORDER BY created_at, id").query(TenantRepository::map).list();
    }

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        Map<Quota, Long> quotas = new EnumMap<>(Quota.class);
        for (Quota quota : Quota.values()) {
            long limit = rs.getLong(quota.column());
            if (!rs.wasNull()) {
                quotas.put(quota, limit);
            }
        }
        return new Tenant(rs.getString("id"), rs.getString("name"), instant(rs, "created_at"), quotas);
    }
}
