package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.nn.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPreparationTest {

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }

    @Test
    void tablesRejectDuplicateAndBlankNamesAndRaggedRowsNamingThem() {
        assertThatThrownBy(() -> new Table(List.of("a", "a", " "), List.of()))
                .isInstanceOfSatisfying(DataException.class, e -> assertThat(e.problems()).extracting(DataProblem::field)
                        .containsExactly("data.columns[1]", "data.columns[2]"));
        assertThatThrownBy(() -> new Table(List.of("a", "b"), List.of(row(1L, 2L), row(1L))))
                .isInstanceOfSatisfying(DataException.class, e -> assertThat(e.problems().get(0).field()).isEqualTo("data.rows[1]"));
    }

    @Test
    void targetsMustBePresentWithAtMostTwentyProblemsAndMissingFeaturesCanDropRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(row("text", null));
        }
        Table table = new Table(List.of("f", "t"), rows);
        assertThatThrownBy(() -> FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), false))
                .isInstanceOfSatisfying(DataException.class, e -> {
                    assertThat(e.problems()).hasSize(DataException.MAX_PROBLEMS);
                    assertThat(e.problems().get(0).field()).isEqualTo("data.rows[0][1]");
                });
        Table gaps = new Table(List.of("f", "g", "t"), List.of(row(1.0, "a", 0L), row(null, "b", 1L), row(3.0, null, 0L), row(4.0, "c", 1L)));
        FeatureMatrix kept = FeatureMatrix.extract(gaps, ColumnSelection.resolve(gaps, "t", null), true);
        assertThat(kept.tableRows()).containsExactly(0, 3);
        assertThat(kept.cells()).containsExactly(List.of(1.0, "a"), List.of(4.0, "c"));
        assertThat(FeatureMatrix.extract(gaps, ColumnSelection.resolve(gaps, "t", null), false).rows()).isEqualTo(4);
    }

    @Test
    void columnSelectionDefaultsToEveryOtherColumnAndChecksNames() {
        Table table = new Table(List.of("a", "b", "t"), List.of(row(1L, 2L, 0L)));
        assertThat(ColumnSelection.resolve(table, "t", null).featureColumns()).containsExactly("a", "b");
        assertThat(ColumnSelection.resolve(table, "t", List.of("b")).featureColumns()).containsExactly("b");
        assertThatThrownBy(() -> ColumnSelection.resolve(table, "t", List.of("b", "t", "z", "b")))
                .isInstanceOfSatisfying(DataException.class, e -> assertThat(e.problems()).extracting(DataProblem::message)
                        .anyMatch(m -> m.contains("target column cannot also be a feature"))
                        .anyMatch(m -> m.contains("unknown column 'z'"))
                        .anyMatch(m -> m.contains("duplicate feature column 'b'")));
        assertThatThrownBy(() -> ColumnSelection.resolve(table, "nope", null)).hasMessageContaining("unknown column 'nope'");
    }

    @Test
    void classLabelsAreSortedKeptAsGivenAndEqualNumbersAreOneClass() {
        ClassLabels labels = ClassLabels.of(List.of("b", 2L, "a", 1.0, 1L, true));
        assertThat(labels.labels()).containsExactly(1.0, 2L, "a", "b", true);
        assertThat(labels.indexOf(1L)).isEqualTo(0);
        assertThat(labels.indexOf("c")).isEqualTo(-1);
        ClassLabels binary = ClassLabels.of(List.of("no", "yes"));
        assertThat(binary.encode(List.of("yes", "no"), 1)).containsExactly(1, 0);
        assertThat(binary.encode(List.of("yes", "no"), 2)).containsExactly(0, 1, 1, 0);
    }

    @Test
    void taskInference() {
        assertThat(TaskInference.fromTargets(List.of("a", "b"))).isEqualTo(Task.CLASSIFICATION);
        assertThat(TaskInference.fromTargets(List.of(0L, 1L, 1L))).isEqualTo(Task.CLASSIFICATION);
        assertThat(TaskInference.fromTargets(List.of(0.5, 1L))).isEqualTo(Task.REGRESSION);
        assertThat(TaskInference.fromTargets(List.of(1L, 2L, 3L))).isEqualTo(Task.CLASSIFICATION);
        List<Object> many = new ArrayList<>();
        for (long i = 0; i <= TaskInference.MAX_CLASSES; i++) {
            many.add(i * 100);
        }
        assertThat(TaskInference.fromTargets(many)).isEqualTo(Task.REGRESSION);
    }
}
