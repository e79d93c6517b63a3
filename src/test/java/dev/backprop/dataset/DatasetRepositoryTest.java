package dev.backprop.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Column;
import dev.backprop.data.Table;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Data sets in the database, on H2; a subclass runs them on PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class DatasetRepositoryTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DatasetService datasets;

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    private static Table table() {
        return new Table(List.of("a", "label"), List.of(List.of(1L, "cat"), List.of(2.5, "dog")));
    }

    @Test
    void aDataSetIsStoredAsColumnsAndOnesStoredBeforeAsOneValueOrAsJsonTextAreStillRead() {
        Table table = table();
        UUID current = datasets.upload("pets", table).id();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id AND content IS NULL AND column_data IS NULL")
                .param("id", current).query(Long.class).single()).isEqualTo(1L);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_column WHERE dataset_id = :id").param("id", current)
                .query(Long.class).single()).isEqualTo(2L);
        Table back = datasets.table(current);
        assertThat(back.rows().get(1)).containsExactly(2.5, "dog");
        // column a mixes 1 and 2.5, so its cells are stored as JSON, where 1L may come back as Integer 1
        assertThat(((Number) back.rows().get(0).get(0)).longValue()).isEqualTo(1L);
        assertThat(back.rows().get(0).get(1)).isEqualTo("cat");
        datasets.delete(current);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_column WHERE dataset_id = :id").param("id", current)
                .query(Long.class).single()).isZero();

        UUID legacy = UUID.randomUUID();
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, content) "
                        + "VALUES (:id, 'old', CURRENT_TIMESTAMP, 2, 2, '[]', :content)")
                .param("id", legacy).param("content", "{\"columns\":[\"a\",\"label\"],\"rows\":[[1,\"cat\"],[2.5,\"dog\"]]}")
                .update();
        Table old = datasets.table(legacy);
        assertThat(old.columns()).containsExactly("a", "label");
        assertThat(old.rows().get(1)).containsExactly(2.5, "dog");

        UUID oneValue = UUID.randomUUID();
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, column_data) "
                        + "VALUES (:id, 'v4', CURRENT_TIMESTAMP, 2, 2, '[]', :data)")
                .param("id", oneValue).param("data", TableCodec.encode(table, json)).update();
        assertThat(datasets.table(oneValue).rows().get(1)).containsExactly(2.5, "dog");
        assertThat(datasets.preview(oneValue)).hasSize(2);
    }

    @Autowired
    DatasetRepository repository;

    /** Columns go to the database in batches of at most 2 MB: nine of 480 KB make three batches, read back whole. */
    @Test
    void aTableOfManyBatchesIsStoredColumnByColumnAndReadBackWhole() {
        int rows = 60_000;
        List<String> names = new java.util.ArrayList<>();
        List<Column> columns = new java.util.ArrayList<>();
        for (int c = 0; c < 9; c++) {
            double[] values = new double[rows];
            for (int r = 0; r < rows; r++) {
                values[r] = r % 97 == c ? Double.NaN : c * 1e6 + r * 0.25;
            }
            names.add("x" + c);
            columns.add(new Column.Doubles(values));
        }
        Table table = Table.ofColumns(names, columns);
        UUID id = datasets.upload("wide", table).id();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset_column WHERE dataset_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(9L);
        assertThat(repository.findTable(id)).contains(table);
        datasets.delete(id);
    }

    @Test
    void thePreviewIsReadWithoutTheColumns() {
        UUID id = datasets.upload("pets", table()).id();
        // the preview stands alone: with the columns gone, it still reads
        jdbc.sql("DELETE FROM dataset_column WHERE dataset_id = :id").param("id", id).update();
        assertThat(datasets.preview(id)).hasSize(2);
        assertThat(datasets.preview(id).get(1)).containsExactly(2.5, "dog");
    }

    @Test
    void numericColumnsAreStoredWithTheirHistogramAndOnesStoredBeforeHistogramsStillLoad() {
        UUID id = datasets.upload("pets", table()).id();
        dev.backprop.data.ColumnSummary a = datasets.get(id).columns().get(0);
        assertThat(a.histogram().counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        // np.histogram([1, 2.5], bins="fd"): counts [1, 1], edges [1, 1.75, 2.5]
        assertThat(a.histogram().edges()).containsExactly(1.0, 1.75, 2.5);
        assertThat(datasets.get(id).columns().get(1).histogram()).isNull();
        // the schema as it was stored before histograms: the same summary without its histogram field
        String schema = jdbc.sql("SELECT schema FROM dataset WHERE id = :id").param("id", id).query(String.class).single();
        String old = schema.replaceAll(",\\s*\"histogram\"\\s*:\\s*\\{[^}]*}", "");
        assertThat(old).doesNotContain("histogram").isNotEqualTo(schema);
        jdbc.sql("UPDATE dataset SET schema = :schema WHERE id = :id").param("schema", old).param("id", id).update();
        dev.backprop.data.ColumnSummary before = datasets.get(id).columns().get(0);
        assertThat(before.histogram()).isNull();
        assertThat(before.mean()).isEqualTo(a.mean());
    }
}
