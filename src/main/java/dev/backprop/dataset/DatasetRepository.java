package dev.backprop.dataset;

import dev.backprop.data.Column;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data sets in the database: the description and the first rows in {@code dataset}, the columns one row
 * each in {@code dataset_column} ({@link TableCodec}), written in small batches so that an upload never holds
 * more than a few encoded columns at once. The reads of the API take the owner (the tenant) and find only its
 * rows; {@link #findTable} is the runner's, for a job whose data set was checked when it was submitted.
 */
@Repository
class DatasetRepository implements QuotaMeter {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final JsonMapper json;

    DatasetRepository(JdbcClient jdbc, JdbcTemplate jdbcTemplate, JsonMapper json) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.json = json;
    }

    /**
     * Encoded bytes per batch at most (a column larger than this goes alone). H2 serializes a commit's pages into one
     * write buffer that it keeps for the next commit only up to 4 MB: batches of 8 of T4's columns (4.5 MB) made it
     * grow a new buffer from 1 MB every commit, 1.5 GB of short-lived multi-megabyte arrays per upload, and a 1 GB heap
     * ran full collections one after another while storing. Batches under 2 MB reuse one buffer.
     */
    private static final long BATCH_BYTES = 2L << 20;

    /**
     * Stores a data set for {@code owner}: its columns first, a batch at a time, each committed on its own so that the database
     * never holds a whole table uncommitted; then its row, which makes it visible, once {@code admitBytes} accepted
     * the encoded size (it throws to refuse). A failure removes the columns written so far.
     */
    void insert(Dataset dataset, Table table, List<List<Object>> preview, String owner, RowAdmission admission) {
        insertRow(dataset, preview, owner, admission, insertColumns(dataset.id(), table));
    }

    /**
     * Stores the columns of data set {@code id}, not yet visible, a batch at a time ({@link #insert}); a failure removes
     * the columns written so far.
     *
     * @return the bytes stored
     */
    long insertColumns(UUID id, Table table) {
        try {
            int columns = table.columns().size();
            long bytes = 0;
            List<Object[]> batch = new java.util.ArrayList<>();
            long batchBytes = 0;
            for (int c = 0; c < columns; c++) {
                byte[] encoded = TableCodec.encodeColumn(table.column(c), json);
                if (!batch.isEmpty() && batchBytes + encoded.length > BATCH_BYTES) {
                    insertColumns(batch);
                    batchBytes = 0;
                }
                bytes += encoded.length;
                batchBytes += encoded.length;
                batch.add(new Object[]{id, c, encoded});
            }
            insertColumns(batch);
            return bytes;
        } catch (RuntimeException e) {
            throw removingColumns(id, e);
        }
    }

    /**
     * Stores the row of a data set whose columns ({@code size} bytes) are stored, under its admission ({@link #insert});
     * a failure removes its columns.
     */
    void insertRow(Dataset dataset, List<List<Object>> preview, String owner, RowAdmission admission, long size) {
        try {
            // the stored size is known once the columns are encoded: a data set over its tenant's quota goes no further
            admission.admit(size, () -> jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, "
                            + "preview, byte_size, owner) VALUES (:id, :name, :createdAt, :rows, :columns, :schema, :preview, :byteSize, "
                            + ":owner)")
                    .param("id", dataset.id()).param("name", dataset.name())
                    .param("createdAt", dataset.createdAt().atOffset(ZoneOffset.UTC))
                    .param("rows", dataset.rows()).param("columns", dataset.columns().size())
                    .param("schema", json.writeValueAsString(dataset.columns()))
                    .param("preview", json.writeValueAsString(preview))
                    .param("byteSize", size).param("owner", owner)
                    .update());
        } catch (RuntimeException e) {
            throw removingColumns(dataset.id(), e);
        }
    }

    /** Removes the columns of a data set that is not to be stored after all, and hands back the failure that said so. */
    RuntimeException removingColumns(UUID id, RuntimeException failure) {
        try {
            deleteColumns(id);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        return failure;
    }

    /** Stores a data set's row, which makes it count, under the quotas it counts towards, given the bytes it stores. */
    @FunctionalInterface
    interface RowAdmission {
        void admit(long bytes, Runnable insertRow);
    }

    /** Stores a batch of columns in one commit and empties it. */
    private void insertColumns(List<Object[]> batch) {
        if (!batch.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO dataset_column (dataset_id, position, data) VALUES (?, ?, ?)", batch);
            batch.clear();
        }
    }

    private void deleteColumns(UUID id) {
        jdbc.sql("DELETE FROM dataset_column WHERE dataset_id = :id").param("id", id).update();
    }

    /** The first rows as stored with the data set; empty for one stored before V15 (read its table instead). */
    Optional<List<List<Object>>> findPreview(UUID id) {
        return jdbc.sql("SELECT preview FROM dataset WHERE id = :id AND preview IS NOT NULL").param("id", id)
                .query((rs, n) -> previewOf(rs.getString("preview"))).optional();
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> previewOf(String text) {
        return json.readValue(text, List.class);
    }

    Optional<Dataset> find(UUID id, String owner) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset WHERE id = :id AND owner = :owner")
                .param("id", id).param("owner", owner).query((rs, n) -> map(rs)).optional();
    }

    boolean exists(UUID id, String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner)
                .query(Long.class).single() > 0;
    }

    /** Whether the data set is stored, whoever owns it (the runner's question, before it trains on a table it kept). */
    boolean isStored(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    Optional<Table> findTable(UUID id) {
        Optional<Stored> stored = jdbc.sql("SELECT row_count, schema, column_data, content FROM dataset WHERE id = :id")
                .param("id", id).query((rs, n) -> new Stored(rs.getInt("row_count"), rs.getString("schema"),
                        rs.getBytes("column_data"), rs.getString("content"))).optional();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        // Data sets stored before column rows (V15) hold every column in column_data, those before V4 their cells as JSON.
        Stored row = stored.get();
        if (row.columnData() != null) {
            return Optional.of(TableCodec.decode(row.columnData(), json));
        }
        if (row.content() != null) {
            return Optional.of(json.readValue(row.content(), Table.class));
        }
        List<String> names = java.util.Arrays.stream(json.readValue(row.schema(), ColumnSummary[].class))
                .map(ColumnSummary::name).toList();
        List<Column> columns = jdbc.sql("SELECT data FROM dataset_column WHERE dataset_id = :id ORDER BY position")
                .param("id", id).query((rs, n) -> TableCodec.decodeColumn(rs.getBytes("data"), row.rows(), json)).list();
        return Optional.of(Table.ofColumns(names, columns));
    }

    private record Stored(int rows, String schema, byte[] columnData, String content) {
    }

    List<Dataset> findPage(String owner, int page, int size) {
        return jdbc.sql("SELECT id, name, created_at, row_count, schema FROM dataset WHERE owner = :owner "
                        + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("owner", owner).param("limit", size).param("offset", (long) page * size).query((rs, n) -> map(rs)).list();
    }

    long count(String owner) {
        return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE owner = :owner").param("owner", owner).query(Long.class).single();
    }

    @Transactional
    boolean delete(UUID id, String owner) {
        if (!exists(id, owner)) {
            return false;
        }
        deleteColumns(id);
        return jdbc.sql("DELETE FROM dataset WHERE id = :id AND owner = :owner").param("id", id).param("owner", owner).update() == 1;
    }

    @Override
    public Set<Quota> quotas() {
        return Set.of(Quota.DATASET_BYTES, Quota.DATASETS);
    }

    @Override
    public long usage(Quota quota, String tenant) {
        return jdbc.sql("SELECT " + measureOf(quota) + " FROM dataset WHERE owner = :owner").param("owner", tenant)
                .query(Long.class).single();
    }

    @Override
    public long serviceUsage(Quota quota) {
        return jdbc.sql("SELECT " + measureOf(quota) + " FROM dataset").query(Long.class).single();
    }

    private static String measureOf(Quota quota) {
        return quota == Quota.DATASETS ? "COUNT(*)" : "COALESCE(SUM(byte_size), 0)";
    }

    private Dataset map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Dataset(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getInt("row_count"),
                List.of(json.readValue(rs.getString("schema"), ColumnSummary[].class)));
    }
}
