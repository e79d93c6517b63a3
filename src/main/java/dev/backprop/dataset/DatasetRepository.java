package dev.backprop.dataset;

import dev.backprop.data.ColumnSummary;
import dev.backprop.data.Table;
import dev.backprop.security.Quota;
import dev.backprop.security.QuotaMeter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data sets in the database: the description apart from the (larger) rows, stored by {@link TableCodec}.
 * The reads of the API take the owner (the tenant) and find only its rows; {@link #findTable} is the
 * runner's, for a job whose data set was checked when it was submitted.
 */
@Repository
class DatasetRepository implements QuotaMeter {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DatasetRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The stored form of a table's rows, whose length the dataset-bytes quota counts. */
    byte[] encode(Table table) {
        return TableCodec.encode(table, json);
    }

    void insert(Dataset dataset, byte[] columnData, String owner) {
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, column_data, byte_size, owner) "
                        + "VALUES (:id, :name, :createdAt, :rows, :columns, :schema, :columnData, :byteSize, :owner)")
                .param("id", dataset.id()).param("name", dataset.name())
                .param("createdAt", dataset.createdAt().atOffset(ZoneOffset.UTC))
                .param("rows", dataset.rows()).param("columns", dataset.columns().size())
                .param("schema", json.writeValueAsString(dataset.columns()))
                .param("columnData", columnData).param("byteSize", columnData.length).param("owner", owner)
                .update();
    }

    Optional<Dataset> find(UUID id, String owner) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset WHERE id = :id AND owner = :owner")
                .param("id", id).param("owner", owner).query((rs, n) -> map(rs)).optional();
    }

    boolean exists(UUID id, String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(Long.class).single() > 0;
    }

    Optional<Table> findTable(UUID id) {
        // Data sets stored before column storage (V4) have their cells as JSON text in content.
        return jdbc.sql("SELECT column_data, content FROM dataset WHERE id = :id").param("id", id)
                .query((rs, n) -> {
                    byte[] columns = rs.getBytes("column_data");
                    return columns != null ? TableCodec.decode(columns, json) : json.readValue(rs.getString("content"), Table.class);
                }).optional();
    }

    List<Dataset> findPage(String owner, int page, int size) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset WHERE owner = :owner "
                        + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("owner", owner).param("limit", size).param("offset", (long) page * size).query((rs, n) -> map(rs)).list();
    }

    long count(String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE owner = :owner").param("owner", owner).query(Long.class).single();
    }

    boolean delete(UUID id, String owner) {
        return jdbc.sql("DELETE FROM dataset WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner).update() == 1;
    }

    @Override
    public Set<Quota> quotas() {
        return Set.of(Quota.DATASET_BYTES);
    }

    @Override
    public long usage(Quota quota, String tenant) {
        return jdbc.sql("SELECT COALESCE(SUM(byte_size), 0) FROM dataset WHERE owner = :owner").param("owner", tenant)
                .query(Long.class).single();
    }

    private Dataset map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Dataset(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("row_count"),
                List.of(json.readValue(rs.getString("schema"), ColumnSummary[].class)));
    }
}
