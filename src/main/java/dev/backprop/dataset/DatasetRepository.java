package dev.backprop.dataset;

import dev.backprop.data.ColumnSummary;
import dev.backprop.data.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Data sets in the database: the description apart from the (larger) rows, stored by {@link TableCodec}. */
@Repository
class DatasetRepository {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DatasetRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(Dataset dataset, Table table) {
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, column_data) "
                        + "VALUES (:id, :name, :createdAt, :rows, :columns, :schema, :columnData)")
                .param("id", dataset.id()).param("name", dataset.name())
                .param("createdAt", dataset.createdAt().atOffset(ZoneOffset.UTC))
                .param("rows", dataset.rows()).param("columns", dataset.columns().size())
                .param("schema", json.writeValueAsString(dataset.columns()))
                .param("columnData", TableCodec.encode(table, json))
                .update();
    }

    Optional<Dataset> find(UUID id) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset WHERE id = :id").param("id", id)
                .query((rs, n) -> map(rs)).optional();
    }

    Optional<Table> findTable(UUID id) {
        // Data sets stored before column storage (V4) have their cells as JSON text in content.
        return jdbc.sql("SELECT column_data, content FROM dataset WHERE id = :id").param("id", id)
                .query((rs, n) -> {
                    byte[] columns = rs.getBytes("column_data");
                    return columns != null ? TableCodec.decode(columns, json) : json.readValue(rs.getString("content"), Table.class);
                }).optional();
    }

    List<Dataset> findPage(int page, int size) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset ORDER BY created_at DESC, id "
                        + "LIMIT :limit OFFSET :offset")
                .param("limit", size).param("offset", (long) page * size).query((rs, n) -> map(rs)).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM dataset").query(Long.class).single();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM dataset WHERE id = :id").param("id", id).update() == 1;
    }

    private Dataset map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Dataset(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("row_count"),
                List.of(json.readValue(rs.getString("schema"), ColumnSummary[].class)));
    }
}
