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

    /** A table wide and long enough to be fitted and encoded on both cores: 300 columns × 1,000 rows, a gap now and then. */
    private static Table wideTable() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(300);
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < 299; c++) {
            names.add("x" + c);
        }
        names.add("colour");
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (int r = 0; r < 1_000; r++) {
            Object[] cells = new Object[300];
            for (int c = 0; c < 299; c++) {
                cells[c] = random.nextInt(50) == 0 ? null : c % 7 == 0 ? (Object) (long) random.nextInt(100) : (Object) random.nextGaussian();
            }
            cells[299] = random.nextInt(40) == 0 ? null : List.of("red", "green", "blue").get(random.nextInt(3));
            rows.add(Arrays.asList(cells));
        }
        return new Table(names, rows);
    }

    @Test
    void aWideTableFitsAndEncodesOnEveryCoreAsEachColumnAndCellDoesAlone() {
        Table table = wideTable();
        List<Column> columns = java.util.stream.IntStream.range(0, 300).mapToObj(table::column).toList();
        int[] training = java.util.stream.IntStream.range(0, 1_000).filter(r -> r % 10 != 3).toArray();
        FeaturePipeline.Options options = new FeaturePipeline.Options("standardize", "mean", "ignore");
        assertThat((long) training.length * columns.size()).isGreaterThanOrEqualTo(FeaturePipeline.PARALLEL_MIN_CELLS);

        FeaturePipeline pipeline = FeaturePipeline.fit(table.columns(), columns, training, options);
        for (int c = 0; c < 300; c++) {  // a column alone is too small to split: fitted on the calling thread
            assertThat(pipeline.steps().get(c)).isEqualTo(FeaturePipeline.fit(List.of(table.columns().get(c)),
                    List.of(columns.get(c)), training, options).steps().get(0));
        }
        double[] encoded = pipeline.transform(columns, training, 1_000, (r, f) -> r + ":" + f);
        int width = pipeline.width();
        assertThat(width).isEqualTo(302);
        for (int i = 0; i < training.length; i++) {
            for (int c = 0; c < 299; c++) {
                FeaturePipeline.NumericStep step = (FeaturePipeline.NumericStep) pipeline.steps().get(c);
                Object cell = columns.get(c).cell(training[i]);
                double value = cell == null ? step.fill() : ((Number) cell).doubleValue();
                assertThat(encoded[i * width + c]).isEqualTo((value - step.center()) / step.scale());
            }
            FeaturePipeline.CategoricalStep colour = (FeaturePipeline.CategoricalStep) pipeline.steps().get(299);
            Object category = columns.get(299).cell(training[i]) == null ? colour.fill() : columns.get(299).cell(training[i]);
            for (int k = 0; k < 3; k++) {
                assertThat(encoded[i * width + 299 + k]).isEqualTo(colour.categories().get(k).equals(category) ? 1 : 0);
            }
        }
    }

    /** The wide table's rows but every tenth (a holdout), shuffled by {@code seed}. */
    private static int[] shuffledTrainingRows(long seed) {
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, 1_000).filter(r -> r % 10 != 3).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void withoutScalingEachColumnsFillIsTheMeanOfItsPresentTrainingValuesAsWhenTheyAreGatheredFirst() {
        Table table = wideTable();
        List<Column> columns = java.util.stream.IntStream.range(0, 300).mapToObj(table::column).toList();
        // a holdout's rows in a shuffled order: the mean is summed in this order, as over the values gathered in it
        int[] training = shuffledTrainingRows(7);

        FeaturePipeline none = FeaturePipeline.fit(table.columns(), columns, training, new FeaturePipeline.Options("none", "mean", "ignore"));
        FeaturePipeline standardized = FeaturePipeline.fit(table.columns(), columns, training,
                new FeaturePipeline.Options("standardize", "mean", "ignore"));
        FeaturePipeline dropped = FeaturePipeline.fit(table.columns(), columns, training, new FeaturePipeline.Options("none", "drop", "ignore"));
        for (int c = 0; c < 299; c++) {
            Column column = columns.get(c);
            double expected = Arrays.stream(training).filter(r -> !column.isMissing(r))
                    .mapToDouble(r -> ((Number) column.cell(r)).doubleValue()).average().orElse(0);
            FeaturePipeline.NumericStep step = (FeaturePipeline.NumericStep) none.steps().get(c);
            assertThat(step).isEqualTo(new FeaturePipeline.NumericStep("x" + c, "none", 0, 1, expected));
            assertThat(Double.doubleToRawLongBits(step.fill())).as("column %d", c).isEqualTo(Double.doubleToRawLongBits(expected));
            // the standardized fit gathers the values for their spread: its mean is the same double
            assertThat(((FeaturePipeline.NumericStep) standardized.steps().get(c)).fill()).isEqualTo(step.fill());
            assertThat(((FeaturePipeline.NumericStep) dropped.steps().get(c)).fill()).isNull();
        }
        assertThat(none.steps().get(299)).isEqualTo(standardized.steps().get(299));
    }

    @Test
    void aWideTableEncodedOnEveryCoreNamesTheCellsAtFaultInRowOrder() {
        Table table = wideTable();
        List<Column> columns = java.util.stream.IntStream.range(0, 300).mapToObj(table::column).toList();
        int[] firstHalf = java.util.stream.IntStream.range(0, 500).toArray();
        FeaturePipeline strict = FeaturePipeline.fit(table.columns(), columns, firstHalf,
                new FeaturePipeline.Options("none", "drop", "ignore"));

        // every gap is a problem under drop: whichever block meets one first, they are named in row order
        DataException e = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> strict.transform(columns, null, 1_000, (r, f) -> r + ":" + f));
        List<String> expected = new java.util.ArrayList<>();
        for (int r = 0; r < 1_000 && expected.size() < DataException.MAX_PROBLEMS; r++) {
            for (int c = 0; c < 300 && expected.size() < DataException.MAX_PROBLEMS; c++) {
                if (columns.get(c).isMissing(r)) {
                    expected.add(r + ":" + c);
                }
            }
        }
        assertThat(e.problems()).extracting(DataProblem::field).containsExactlyElementsOf(expected);
    }

    @Test
    void aWideTableEncodedInBlocksOnEveryCoreHoldsTheRowsOfOneMatrixBlockByBlock() {
        Table table = wideTable();
        List<Column> columns = java.util.stream.IntStream.range(0, 300).mapToObj(table::column).toList();
        int[] training = shuffledTrainingRows(5);
        assertThat((long) training.length * columns.size()).isGreaterThanOrEqualTo(FeaturePipeline.PARALLEL_MIN_CELLS);
        for (String scaling : List.of("standardize", "none", "minmax")) {
            FeaturePipeline pipeline = FeaturePipeline.fit(table.columns(), columns, training,
                    new FeaturePipeline.Options(scaling, "mean", "ignore"));
            for (int[] rows : java.util.Arrays.asList(training, null)) {
                int count = rows == null ? 1_000 : rows.length;
                double[] whole = pipeline.transform(columns, rows, 1_000, (r, f) -> r + ":" + f);
                double[][] blocks = pipeline.transformInBlocks(columns, rows, 1_000, 128, (r, f) -> r + ":" + f);

                assertThat(blocks.length).isEqualTo((count + 127) / 128);
                double[] joined = new double[whole.length];
                for (int b = 0; b < blocks.length; b++) {
                    assertThat(blocks[b]).hasSize(Math.min(128, count - b * 128) * pipeline.width());
                    System.arraycopy(blocks[b], 0, joined, b * 128 * pipeline.width(), blocks[b].length);
                }
                assertThat(joined).as(scaling).isEqualTo(whole);
            }
        }
        FeaturePipeline one = FeaturePipeline.fit(table.columns(), columns, training, new FeaturePipeline.Options("none", "mean", "ignore"));
        assertThat(one.transformInBlocks(columns, new int[0], 1_000, 128, (r, f) -> r + ":" + f)).hasDimensions(1, 0);
    }

    @Test
    void aWideTableEncodedInBlocksNamesTheCellsAtFaultInRowOrderAsOneMatrixDoes() {
        Table table = wideTable();
        List<Column> columns = java.util.stream.IntStream.range(0, 300).mapToObj(table::column).toList();
        FeaturePipeline strict = FeaturePipeline.fit(table.columns(), columns, java.util.stream.IntStream.range(0, 500).toArray(),
                new FeaturePipeline.Options("none", "drop", "ignore"));

        DataException whole = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> strict.transform(columns, null, 1_000, (r, f) -> r + ":" + f));
        DataException blocks = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                () -> strict.transformInBlocks(columns, null, 1_000, 64, (r, f) -> r + ":" + f));
        assertThat(blocks.problems()).isNotEmpty().isEqualTo(whole.problems());
    }

    @Test
    void theShapeHasTheFitsStepsAndWidthsAndChecksTheSameCellsWithoutStatistics() {
        Table table = new Table(List.of("n", "x", "c", "t"), List.of(row(1L, 0.5, "a", 1L), row(null, 2.5, "b", 0L),
                row(7L, null, "z", 1L), row(3L, -1.25, "y", 0L), row(5L, 4.0, "b", 1L)));
        FeatureMatrix matrix = FeatureMatrix.extract(table, ColumnSelection.resolve(table, "t", null), false);
        for (String imputation : List.of("mean", "median", "drop")) {
            FeaturePipeline.Options options = new FeaturePipeline.Options("standardize", imputation, "reject");
            FeaturePipeline fitted = FeaturePipeline.fit(matrix.names(), matrix.columns(), new int[]{0, 4, 1}, options);
            FeaturePipeline shape = FeaturePipeline.shape(matrix.names(), matrix.columns(), new int[]{0, 4, 1}, options);

            assertThat(shape.width()).isEqualTo(fitted.width());
            assertThat(shape.steps().get(2)).isEqualTo(fitted.steps().get(2));  // categories are the step itself
            for (int f = 0; f < 2; f++) {
                FeaturePipeline.NumericStep numeric = (FeaturePipeline.NumericStep) shape.steps().get(f);
                assertThat(numeric.center()).isZero();
                assertThat(numeric.scale()).isEqualTo(1);
                assertThat(numeric.fill() == null).isEqualTo(((FeaturePipeline.NumericStep) fitted.steps().get(f)).fill() == null);
            }
            DataException fromFit = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                    () -> fitted.check(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f));
            DataException fromShape = org.junit.jupiter.api.Assertions.assertThrows(DataException.class,
                    () -> shape.check(matrix.columns(), matrix.rows(), (r, f) -> r + ":" + f));
            assertThat(fromShape.problems()).isEqualTo(fromFit.problems());
        }
    }
}
