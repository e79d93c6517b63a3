package dev.backprop.dataset;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static Table table() {
        return new Table(List.of("a", "label"), List.of(List.of(1L, "cat"), List.of(2.5, "dog")));
    }

    @Test
    void aDataSetIsStoredAsColumnsAndOneStoredBeforeAsJsonTextIsStillRead() {
        Table table = table();
        UUID current = datasets.upload("pets", table).id();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset WHERE id = :id AND content IS NULL AND column_data IS NOT NULL")
                .param("id", current).query(Long.class).single()).isEqualTo(1L);
        Table back = datasets.table(current);
        assertThat(back.rows().get(1)).containsExactly(2.5, "dog");
        // column a mixes 1 and 2.5, so its cells are stored as JSON, where 1L may come back as Integer 1
        assertThat(((Number) back.rows().get(0).get(0)).longValue()).isEqualTo(1L);
        assertThat(back.rows().get(0).get(1)).isEqualTo("cat");

        UUID legacy = UUID.randomUUID();
        jdbc.sql("INSERT INTO dataset (id, name, created_at, row_count, column_count, schema, content) "
                        + "VALUES (:id, 'old', CURRENT_TIMESTAMP, 2, 2, '[]', :content)")
                .param("id", legacy).param("content", "{\"columns\":[\"a\",\"label\"],\"rows\":[[1,\"cat\"],[2.5,\"dog\"]]}")
                .update();
        Table old = datasets.table(legacy);
        assertThat(old.columns()).containsExactly("a", "label");
        assertThat(old.rows().get(1)).containsExactly(2.5, "dog");
    }
}
