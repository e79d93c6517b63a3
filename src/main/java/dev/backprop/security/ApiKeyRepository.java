package dev.backprop.security;

import static dev.backprop.platform.SqlColumns.instant;
import static dev.backprop.platform.SqlColumns.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The api_key table: keys by their public id, with the hash of the whole key and never the key. */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = "id, tenant_id, name, role, created_at, last_used_at, revoked_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A key with the hash it is checked against. */
    record Stored(ApiKey key, byte[] hash) {
    }

    void insert(ApiKey key, String hashHex) {
        jdbc.sql("INSERT INTO api_key (" + COLUMNS + ", secret_hash) VALUES (:id, :tenant, :name, :role, :createdAt, NULL, NULL, :hash)")
                .param("id", key.id()).param("tenant", key.tenant()).param("name", key.name()).param("role", key.role().name())
                .param("createdAt", timestamp(key.createdAt())).param("hash", hashHex)
                .update();
    }

    Optional<Stored> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + ", secret_hash FROM api_key WHERE id = :id").param("id", id)
                .query((rs, n) -> new Stored(map(rs, n), HexFormat.of().parseHex(rs.getString("secret_hash")))).optional();
    }

    List<ApiKey> findAll(String tenant) {
        String where = tenant == null ? "" : " WHERE tenant_id = :tenant";
        JdbcClient.StatementSpec statement = jdbc.sql("SELECT " + COLUMNS + " FROM api_key" + where + " ORDER BY created_at, id");
        return (tenant == null ? statement : statement.param("tenant", tenant)).query(ApiKeyRepository::map).list();
    }

    long countValid() {
        return jdbc.sql("SELECT COUNT(*) FROM api_key WHERE revoked_at IS NULL").query(Long.class).single();
    }

    long countValidAdmins() {
        return jdbc.sql("SELECT COUNT(*) FROM api_key WHERE revoked_at IS NULL AND role = 'ADMIN'").query(Long.class).single();
    }

    boolean revoke(String id, Instant at) {
        return jdbc.sql("UPDATE api_key SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("at", timestamp(at)).param("id", id).update() == 1;
    }

    void touch(String id, Instant at) {
        jdbc.sql("UPDATE api_key SET last_used_at = :at WHERE id = :id").param("at", timestamp(at)).param("id", id).update();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }
}
