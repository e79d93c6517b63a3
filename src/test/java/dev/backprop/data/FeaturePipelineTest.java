package dev.backprop.data;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {

    private static final List<String> NAMES = List.of("size", "colour");

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }

    private static final List<List<Object>> TRAINING = List.of(row(1.0, "red"), row(3.0, "blue"), row(null, "red"), row(8.0, null));

    private static FeaturePipeline fit(String scaling, String imputation, String unknown) {
        return FeaturePipeline.fit(NAMES, TRAINING, new FeaturePipeline.Options(scaling, imputation, unknown));
    }

    @Test
    void theTablesPrimitiveColumnsEncodeAsTheirCellsDo() {
        // integers with a gap, decimals with a gap, categories: as columns and as rows of boxed cells
        Table table = new Table(List.of("n", "x", "c", "t"), List.of(row(1L, 0.5, "a", 1L), row(null, 2.5, "b", 0L),
                row(7L, null, "a", 1L), row(3L, -1.25, null, 0L), row(5L, 4.0, "b", 1L)));
        FeatureMatrix matrix = FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), false);
        assertThat(matrix.columns().get(0)).isSameAs(table.column(0));  // nothing dropped: the table's own arrays
        assertThat(matrix.columns().get(0)).isInstanceOf(Column.Longs.class);
        assertThat(matrix.columns().get(1)).isInstanceOf(Column.Doubles.class);
        int[] training = {4, 0, 2, 1};
        FeaturePipeline.Options options = new FeaturePipeline.Options("standardize", "median", "ignore");
        FeaturePipeline fromColumns = FeaturePipeline.fit(matrix.names(), matrix.columns(), training, options);
        FeaturePipeline fromRows = FeaturePipeline.fit(matrix.names(), Arrays.stream(training).mapToObj(matrix.cells()::get).toList(),
                options);
        assertThat(fromColumns).isEqualTo(fromRows);
        assertThat(fromColumns.transform(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f))
                .containsExactly(fromRows.transform(matrix.cells(), (r, f) -> r + ":" + f));
        FeatureMatrix dropped = FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), true);
        assertThat(dropped.tableRows()).containsExactly(0, 4);
        assertThat(dropped.cells()).containsExactly(row(1L, 0.5, "a"), row(5L, 4.0, "b"));
    }

    @Test
    void numericColumnsImputeThenScaleAndCategoricalOnesAreOneHot() {
        FeaturePipeline pipeline = fit("standardize", "mean", "ignore");
        assertThat(pipeline.width()).isEqualTo(1 + 2);
        FeaturePipeline.NumericStep size = (FeaturePipeline.NumericStep) pipeline.steps().get(0);
        assertThat(size.fill()).isEqualTo(4.0);
        assertThat(size.center()).isEqualTo(4.0);
        assertThat(size.scale()).isCloseTo(Math.sqrt((9 + 1 + 16) / 3.0), within(EXACT));
        FeaturePipeline.CategoricalStep colour = (FeaturePipeline.CategoricalStep) pipeline.steps().get(1);
        assertThat(colour.categories()).containsExactly("blue", "red");
        assertThat(colour.fill()).isEqualTo("red");

        double[] encoded = pipeline.transform(List.of(row(4.0, "blue"), row(null, null), row(7.0, "green")), (r, f) -> r + ":" + f);
        assertThat(encoded).containsExactly(new double[]{
                0, 1, 0,
                0, 0, 1,
                3 / size.scale(), 0, 0}, within(EXACT));
        // the inverse of the numeric step recovers the value
        assertThat(encoded[6] * size.scale() + size.center()).isCloseTo(7.0, within(EXACT));
    }

    @Test
    void medianMinMaxAndNone() {
        FeaturePipeline.NumericStep median = (FeaturePipeline.NumericStep) fit("minmax", "median", "ignore").steps().get(0);
        assertThat(median.fill()).isEqualTo(3.0);
        assertThat(median.center()).isEqualTo(1.0);
        assertThat(median.scale()).isEqualTo(7.0);
        FeaturePipeline.NumericStep none = (FeaturePipeline.NumericStep) fit("none", "mean", "ignore").steps().get(0);
        assertThat(none.center()).isZero();
        assertThat(none.scale()).isEqualTo(1.0);
    }

    @Test
    void rowsInAGivenOrderEncodeAsThoseRowsOfTheWholeMatrix() {
        Table table = new Table(List.of("n", "x", "c", "t"), List.of(row(1L, 0.5, "a", 1L), row(null, 2.5, "b", 0L),
                row(7L, null, "a", 1L), row(3L, -1.25, null, 0L), row(5L, 4.0, "b", 1L)));
        FeatureMatrix matrix = FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), false);
        FeaturePipeline pipeline = FeaturePipeline.fit(matrix.names(), matrix.columns(), new int[]{4, 0, 2},
                new FeaturePipeline.Options("standardize", "mean", "ignore"));
        double[] all = pipeline.transform(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f);
        int[] order = {3, 1, 4};
        int width = pipeline.width();
        double[] expected = new double[order.length * width];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(all, order[i] * width, expected, i * width, width);
        }
        assertThat(pipeline.transform(matrix.columns(), order, matrix.rows(), (r, f) -> r + ":" + f)).containsExactly(expected);
    }

    @Test
    void theCheckFindsWhatTheEncodingRejectsInTheSameOrder() {
        Table table = new Table(List.of("n", "x", "c", "t"), List.of(row(1L, 0.5, "a", 1L), row(null, 2.5, "b", 0L),
                row(7L, null, "z", 1L), row(3L, -1.25, "y", 0L), row(5L, 4.0, "b", 1L)));
        FeatureMatrix matrix = FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), false);
        FeaturePipeline strict = FeaturePipeline.fit(matrix.names(), matrix.columns(), new int[]{0, 4},
                new FeaturePipeline.Options("none", "drop", "reject"));
        DataException encoding = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> strict.transform(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f));
        DataException check = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> strict.check(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f));
        assertThat(check.problems()).extracting(DataProblem::field).containsExactly("1:0", "2:1", "2:2", "3:2");
        assertThat(check.problems()).isEqualTo(encoding.problems());
        // present numbers cannot be rejected: nothing to find, and nothing read
        FeaturePipeline lenient = FeaturePipeline.fit(matrix.names(), matrix.columns(), null,
                new FeaturePipeline.Options("standardize", "mean", "ignore"));
        org.assertj.core.api.Assertions.assertThatCode(() -> lenient.check(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f))
                .doesNotThrowAnyException();
    }

    @Test
    void unknownCategoriesMayBeRejectedAndDropLeavesNoFill() {
        FeaturePipeline strict = fit("none", "drop", "reject");
        assertThatThrownBy(() -> strict.transform(List.of(row(1.0, "green")), (r, f) -> "records[" + r + "]." + NAMES.get(f)))
                .isInstanceOfSatisfying(DataException.class, e -> {
                    assertThat(e.problems().get(0).field()).isEqualTo("records[0].colour");
                    assertThat(e.problems().get(0).message()).contains("unknown category").contains("[blue, red]");
                });
        assertThatThrownBy(() -> strict.transform(List.of(row(null, "red")), (r, f) -> "x"))
                .hasMessageContaining("missing value in feature 'size'");
        assertThatThrownBy(() -> strict.transform(List.of(row("big", "red")), (r, f) -> "x"))
                .hasMessageContaining("needs a number");
    }

    @Test
    void numbersEqualInValueAreOneCategoryAndBooleansAreCategories() {
        FeaturePipeline pipeline = FeaturePipeline.fit(List.of("flag", "code"),
                List.of(row(true, 1L), row(false, "x"), row(true, 2L)), new FeaturePipeline.Options("none", "mean", "ignore"));
        assertThat(pipeline.steps()).allMatch(s -> s instanceof FeaturePipeline.CategoricalStep);
        double[] encoded = pipeline.transform(List.of(row(false, 1.0)), (r, f) -> "x");
        assertThat(encoded).containsExactly(1, 0, 1, 0, 0);
    }
}
