package dev.backprop.data;

import dev.backprop.nn.ParallelBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * Turns raw feature cells into the network's inputs, one step per feature column, fitted on the
 * training rows only and stored with the model so that prediction reads raw records the same way.
 *
 * <ul>
 *   <li>A numeric column: a missing cell takes the training mean or median (or the row is dropped
 *       before fitting), then {@code (x − center) / scale}: standardization (mean, population
 *       standard deviation), min-max ({@code min}, {@code max − min}) or none. A constant column gets
 *       scale 1.</li>
 *   <li>Any other column is categorical (strings, booleans, or a mix): one-hot over the categories seen
 *       in training (in {@link ClassLabels} order); a missing cell takes the most frequent category; an
 *       unknown category encodes as all zeros or is rejected, by option.</li>
 * </ul>
 *
 * @param steps one step per feature column, in model input order
 */
public record FeaturePipeline(List<ColumnStep> steps) {

    public FeaturePipeline {
        steps = List.copyOf(steps);
    }

    /** How raw cells of a column become inputs. */
    public sealed interface ColumnStep permits NumericStep, CategoricalStep {
        String name();

        /** Inputs this column produces. */
        int width();
    }

    /**
     * @param scaling standardize, minmax or none
     * @param fill    the value of a missing cell, or null when missing cells are an error
     */
    public record NumericStep(String name, String scaling, double center, double scale, Double fill) implements ColumnStep {
        @Override
        public int width() {
            return 1;
        }
    }

    /**
     * @param categories the categories seen in training, in one-hot order
     * @param fill       the category of a missing cell (the most frequent), or null when missing cells are an error
     * @param unknown    ignore (all zeros) or reject
     */
    public record CategoricalStep(String name, List<Object> categories, Object fill, String unknown) implements ColumnStep {
        public CategoricalStep {
            categories = List.copyOf(categories);
        }

        @Override
        public int width() {
            return categories.size();
        }
    }

    /**
     * @param scaling           standardize, minmax or none
     * @param imputation        mean, median or drop (rows with a missing feature are removed before fitting)
     * @param unknownCategories ignore or reject
     */
    public record Options(String scaling, String imputation, String unknownCategories) {
    }

    /** Inputs per row. */
    public int width() {
        return steps.stream().mapToInt(ColumnStep::width).sum();
    }

    /** Fits a step per column on the training rows (each row holds the feature cells in {@code names} order). */
    public static FeaturePipeline fit(List<String> names, List<List<Object>> trainingRows, Options options) {
        return fit(names, Column.columnsOf(trainingRows, names.size()), null, options);
    }

    /**
     * Fits a step per feature column on the training rows.
     *
     * @param columns      one column per name
     * @param trainingRows the rows to fit on, in this order; null for every row
     */
    public static FeaturePipeline fit(List<String> names, List<Column> columns, int[] trainingRows, Options options) {
        boolean impute = !options.imputation().equals("drop");
        boolean needsMean = options.scaling().equals("standardize") || options.imputation().equals("mean");
        // A spread (standardize, minmax) or a median needs a column's present values themselves; a mean alone is summed
        // straight from the column, in the rows' order: no copy of the training rows (T4: 47 M values, 376 MB).
        boolean needsValues = !options.scaling().equals("none") || options.imputation().equals("median");
        int[] rows = trainingRows != null || columns.isEmpty() ? trainingRows : IntStream.range(0, columns.get(0).size()).toArray();
        ColumnStep[] steps = new ColumnStep[names.size()];
        // Each step depends on its own column alone, so fitting columns on both cores gives the same steps; within a
        // block, a few columns at a time have their means computed together (CompensatedMeans).
        ParallelBlocks.forRanges(steps.length, parallelFrom(rows == null ? 0 : rows.length, steps.length), (from, to) -> {
            for (int group = from; group < to; group += MEANS_AT_ONCE) {
                int end = Math.min(to, group + MEANS_AT_ONCE);
                if (!needsValues) {
                    fitMeansOnly(names, columns, rows, group, end, options, impute, needsMean, steps);
                    continue;
                }
                double[][] values = new double[end - group][];
                for (int f = group; f < end; f++) {
                    values[f - group] = primitiveValues(columns.get(f), rows);
                }
                double[] means = needsMean ? CompensatedMeans.of(values) : null;
                for (int f = group; f < end; f++) {
                    double[] present = values[f - group];
                    steps[f] = present != null
                            ? numericStep(names.get(f), present, options, impute, means == null ? null : means[f - group])
                            : fitCells(names.get(f), columns.get(f), rows, options, impute);
                }
            }
        });
        return new FeaturePipeline(Arrays.asList(steps));
    }

    /**
     * The steps {@link #fit} makes, without a numeric column's statistics (center 0, scale 1, a fill of 0 where a gap
     * is imputed): enough to {@link #check} rows and count the inputs, as a submit does, without the means of every
     * column (T4: 47 M values). Never for encoding.
     */
    public static FeaturePipeline shape(List<String> names, List<Column> columns, int[] trainingRows, Options options) {
        boolean impute = !options.imputation().equals("drop");
        int[] rows = trainingRows != null || columns.isEmpty() ? trainingRows : IntStream.range(0, columns.get(0).size()).toArray();
        List<ColumnStep> steps = new ArrayList<>(names.size());
        for (int f = 0; f < names.size(); f++) {
            Column column = columns.get(f);
            steps.add(column instanceof Column.Doubles || column instanceof Column.Longs
                    ? new NumericStep(names.get(f), options.scaling(), 0, 1, impute ? 0.0 : null)
                    : fitCells(names.get(f), column, rows, options, impute));
        }
        return new FeaturePipeline(steps);
    }

    /**
     * The steps of columns {@code [group, end)} when no statistic but the mean is needed (scaling none): a primitive
     * column's mean over its present values in {@code rows} is read from the column itself, the same double as over
     * those values gathered first.
     */
    private static void fitMeansOnly(List<String> names, List<Column> columns, int[] rows, int group, int end, Options options,
                                     boolean impute, boolean needsMean, ColumnStep[] steps) {
        Column[] primitive = new Column[end - group];
        for (int f = group; f < end; f++) {
            Column column = columns.get(f);
            primitive[f - group] = column instanceof Column.Doubles || column instanceof Column.Longs ? column : null;
        }
        int[] present = new int[primitive.length];
        double[] means = CompensatedMeans.ofRows(primitive, rows, present);
        for (int f = group; f < end; f++) {
            Double mean = needsMean ? means[f - group] : null;
            steps[f] = primitive[f - group] != null
                    ? new NumericStep(names.get(f), options.scaling(), 0, 1, !impute ? null : present[f - group] == 0 ? 0.0 : mean)
                    : fitCells(names.get(f), columns.get(f), rows, options, impute);
        }
    }

    /** Columns gathered, and their means computed, at once: {@link CompensatedMeans} interleaves four. */
    private static final int MEANS_AT_ONCE = 4;

    /** Cells below which a fit or an encoding stays on the calling thread (a 64-row predict of 784 features is 50,176). */
    static final long PARALLEL_MIN_CELLS = 1 << 18;

    /** The {@code minLength} of {@link ParallelBlocks#forRanges} over the columns of {@code rows} rows. */
    private static int parallelFrom(long rows, int columns) {
        return rows * columns >= PARALLEL_MIN_CELLS ? 2 : Integer.MAX_VALUE;
    }

    /** The present values of a primitive column's {@code rows}, in that order; null for a column of cells. */
    private static double[] primitiveValues(Column column, int[] rows) {
        if (!(column instanceof Column.Doubles || column instanceof Column.Longs)) {
            return null;
        }
        double[] values = new double[rows.length];
        int present = 0;
        if (column instanceof Column.Doubles doubles) {
            double[] cells = doubles.values();
            for (int row : rows) {
                if (!Double.isNaN(cells[row])) {
                    values[present++] = cells[row];
                }
            }
        } else {
            long[] cells = ((Column.Longs) column).values();
            for (int row : rows) {
                if (!column.isMissing(row)) {
                    values[present++] = cells[row];
                }
            }
        }
        return present == values.length ? values : Arrays.copyOf(values, present);
    }

    /** The step of a column of cells: numeric when every present cell is a number, else categorical. */
    private static ColumnStep fitCells(String name, Column column, int[] rows, Options options, boolean impute) {
        List<Object> present = new ArrayList<>();
        boolean numeric = true;
        for (int row : rows) {
            Object cell = column.cell(row);
            if (cell != null) {
                present.add(cell);
                numeric &= cell instanceof Number;
            }
        }
        if (numeric) {
            double[] values = present.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            return numericStep(name, values, options, impute, null);
        }
        ClassLabels categories = ClassLabels.of(present);
        return new CategoricalStep(name, categories.labels(), impute ? mostFrequent(present, categories) : null,
                options.unknownCategories());
    }

    /** @param mean the values' mean as {@code Arrays.stream(values).average()} gives it, or null to compute it here */
    private static NumericStep numericStep(String name, double[] values, Options options, boolean impute, Double mean) {
        double center = 0;
        double scale = 1;
        if (values.length > 0) {
            switch (options.scaling()) {
                case "standardize" -> {
                    double average = mean != null ? mean : Arrays.stream(values).average().orElse(0);
                    mean = average;  // the mean fills a gap too: one pass for both
                    double variance = Arrays.stream(values).map(v -> (v - average) * (v - average)).sum() / values.length;
                    center = average;
                    scale = Math.sqrt(variance);
                }
                case "minmax" -> {
                    center = Arrays.stream(values).min().orElse(0);
                    scale = Arrays.stream(values).max().orElse(0) - center;
                }
                default -> {
                    // none: the identity
                }
            }
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            scale = 1;
        }
        Double fill = null;
        if (impute) {
            fill = values.length == 0 ? 0.0 : options.imputation().equals("median") ? median(values)
                    : mean != null ? mean : Arrays.stream(values).average().orElse(0);
        }
        return new NumericStep(name, options.scaling(), center, scale, fill);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Object mostFrequent(List<Object> present, ClassLabels categories) {
        if (present.isEmpty()) {
            return null;
        }
        long[] counts = new long[categories.size()];
        for (Object cell : present) {
            counts[categories.indexOf(cell)]++;
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return categories.labels().get(best);
    }

    /**
     * Encodes rows of raw feature cells (in step order) as a row-major {@code rows × width()} matrix.
     *
     * @param field names the place of a cell in an error, from its row and column index
     * @throws DataException listing the first cells that cannot be encoded
     */
    public double[] transform(List<List<Object>> rows, BiFunction<Integer, Integer, String> field) {
        return transform(Column.columnsOf(rows, steps.size()), rows.size(), field);
    }

    /**
     * Encodes feature columns (one per step, {@code rows} cells each) as a row-major {@code rows × width()}
     * matrix.
     *
     * @param field names the place of a cell in an error, from its row and column index
     * @throws DataException listing the first cells that cannot be encoded
     */
    public double[] transform(List<Column> columns, int rows, BiFunction<Integer, Integer, String> field) {
        return transform(columns, null, rows, field);
    }

    /**
     * Encodes the rows {@code order} of feature columns (one per step), in that order, as a row-major
     * {@code order.length × width()} matrix: a split's training or validation rows straight from the columns,
     * with no matrix of every row to copy them from, reading each column's primitive array where it has one.
     *
     * @param order the column rows to encode, in output order; null for rows {@code 0 … rows − 1}
     * @param field names the place of a cell in an error, from its column row and column index
     * @throws DataException listing the first cells that cannot be encoded
     */
    public double[] transform(List<Column> columns, int[] order, int rows, BiFunction<Integer, Integer, String> field) {
        int count = order == null ? rows : order.length;
        double[] out = new double[count * width()];
        Encoding encoding = new Encoding(columns);
        int tiles = (count + TILE_ROWS - 1) / TILE_ROWS;
        AtomicBoolean rejected = new AtomicBoolean();
        // Every output cell depends on its own input cell alone: tiles encoded on both cores give the same matrix.
        ParallelBlocks.forRanges(tiles, (long) count * encoding.steps >= PARALLEL_MIN_CELLS ? 2 : Integer.MAX_VALUE,
                (fromTile, toTile) -> {
                    if (!encodeInTiles(encoding, order, fromTile * TILE_ROWS, Math.min(count, toTile * TILE_ROWS), out, 0, field)) {
                        rejected.set(true);
                    }
                });
        if (rejected.get()) {
            encodeByRow(encoding, order, count, out, field);  // names the cells at fault in row order, and throws
        }
        return out;
    }

    /**
     * {@link #transform(List, int[], int, BiFunction)} into blocks of {@code rowsPerBlock} rows each (the last one may be
     * shorter), for {@link dev.backprop.nn.LabeledData}: each block is allocated by the core that encodes it, right
     * before it does. So both cores take the first touch of memory new to the process (a page fault per 4 KiB page,
     * which on one thread was most of a large matrix's preparation), and each block is zeroed and then filled while it
     * is still in cache. The values are those of {@code transform}, each row in its own block.
     */
    public double[][] transformInBlocks(List<Column> columns, int[] order, int rows, int rowsPerBlock,
                                        BiFunction<Integer, Integer, String> field) {
        int count = order == null ? rows : order.length;
        int width = width();
        int blockCount = count == 0 ? 1 : (count + rowsPerBlock - 1) / rowsPerBlock;
        double[][] blocks = new double[blockCount][];
        Encoding encoding = new Encoding(columns);
        AtomicBoolean rejected = new AtomicBoolean();
        ParallelBlocks.forRanges(blockCount, (long) count * encoding.steps >= PARALLEL_MIN_CELLS ? 2 : Integer.MAX_VALUE,
                (fromBlock, toBlock) -> {
                    for (int b = fromBlock; b < toBlock && !rejected.get(); b++) {
                        int first = b * rowsPerBlock;
                        int end = Math.min(count, first + rowsPerBlock);
                        blocks[b] = new double[(end - first) * width];
                        if (!encodeInTiles(encoding, order, first, end, blocks[b], first, field)) {
                            rejected.set(true);
                        }
                    }
                });
        if (rejected.get()) {
            encodeByRow(encoding, order, count, null, field);  // names the cells at fault in row order, and throws
        }
        return blocks;
    }

    /** Rows per tile of {@link #encodeInTiles}: their output rows (784 values each) stay in the L2 cache and the TLB. */
    private static final int TILE_ROWS = 32;

    /**
     * Encodes the rows {@code [first, end)} tile by tile, {@link #TILE_ROWS} rows at a time, column by column within a
     * tile: each column is read in runs of consecutive values instead of one value per row (a row at a time touched
     * one cache line and one page per column, 784 of each, and took 55 ns a cell on T4; a tile at a time takes a few).
     * Stops at the first cell that cannot be encoded.
     *
     * @return false when a cell could not be encoded
     */
    private boolean encodeInTiles(Encoding encoding, int[] order, int first, int end, double[] out, int outFirstRow,
                                  BiFunction<Integer, Integer, String> field) {
        int width = width();
        int[] stepOffset = new int[encoding.steps];
        for (int f = 1; f < encoding.steps; f++) {
            stepOffset[f] = stepOffset[f - 1] + steps.get(f - 1).width();
        }
        boolean identity = isIdentity();
        List<DataProblem> problems = new ArrayList<>();
        for (int from = first; from < end; from += TILE_ROWS) {
            int to = Math.min(end, from + TILE_ROWS);
            for (int f = 0; f < encoding.steps; f++) {
                double[] values = encoding.numericDoubles[f];
                double center = encoding.center[f];
                double scale = encoding.scale[f];
                for (int r = from, at = (from - outFirstRow) * width + stepOffset[f]; r < to; r++, at += width) {
                    int row = order == null ? r : order[r];
                    if (values != null && !Double.isNaN(values[row])) {
                        // without scaling (center 0, scale 1) the value is the answer: (v − 0) / 1 is v exactly
                        out[at] = identity ? values[row] : (values[row] - center) / scale;
                    } else {
                        encoding.cell(f, row, out, at, problems, field);
                        if (!problems.isEmpty()) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /**
     * Encodes row by row, naming the first cells that cannot be encoded in row order; with {@code out} null, into one
     * row's scratch (only to name them).
     */
    private void encodeByRow(Encoding encoding, int[] order, int count, double[] out, BiFunction<Integer, Integer, String> field) {
        int width = width();
        double[] target = out == null ? new double[width] : out;
        List<DataProblem> problems = new ArrayList<>();
        for (int r = 0; r < count && problems.size() < DataException.MAX_PROBLEMS; r++) {
            int row = order == null ? r : order[r];
            int offset = out == null ? 0 : r * width;
            for (int f = 0; f < encoding.steps; f++) {
                encoding.cell(f, row, target, offset, problems, field);
                offset += steps.get(f).width();
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
    }

    /**
     * Finds the cells that {@link #transform} would reject, in the same order, without encoding anything:
     * only the columns that can hold such a cell are read (for a table of present numbers, none), so that a
     * request is checked without building its matrix.
     *
     * @throws DataException listing the first cells that cannot be encoded
     */
    public void check(List<Column> columns, int rows, BiFunction<Integer, Integer, String> field) {
        Encoding encoding = new Encoding(columns);
        int[] risky = IntStream.range(0, encoding.steps).filter(f -> encoding.canReject(f, columns.get(f))).toArray();
        List<DataProblem> problems = new ArrayList<>();
        for (int row = 0; row < rows && risky.length > 0 && problems.size() < DataException.MAX_PROBLEMS; row++) {
            for (int f : risky) {
                encoding.cell(f, row, null, 0, problems, field);
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
    }

    /** The steps' view of the columns they encode: their primitive arrays where they have them. */
    private final class Encoding {
        final int steps = FeaturePipeline.this.steps.size();
        final List<Column> columns;
        final double[][] doubles = new double[steps][];
        final long[][] longs = new long[steps][];
        final ClassLabels[] lookups = new ClassLabels[steps];
        // The common cell, a present number in a numeric step over a double column, takes only these arrays.
        final double[][] numericDoubles = new double[steps][];
        final double[] center = new double[steps];
        final double[] scale = new double[steps];

        Encoding(List<Column> columns) {
            this.columns = columns;
            for (int f = 0; f < steps; f++) {
                ColumnStep step = FeaturePipeline.this.steps.get(f);
                if (step instanceof NumericStep numeric && columns.get(f) instanceof Column.Doubles column) {
                    numericDoubles[f] = column.values();
                    center[f] = numeric.center();
                    scale[f] = numeric.scale();
                }
                if (columns.get(f) instanceof Column.Doubles column) {
                    doubles[f] = column.values();
                } else if (columns.get(f) instanceof Column.Longs column) {
                    longs[f] = column.values();
                }
                if (step instanceof CategoricalStep categorical) {
                    lookups[f] = ClassLabels.fromStored(categorical.categories());
                }
            }
        }

        /** Whether a cell of column {@code f} may be rejected: a numeric column's missing cell without a fill, any other kind. */
        boolean canReject(int f, Column column) {
            if (FeaturePipeline.this.steps.get(f) instanceof NumericStep numeric && (doubles[f] != null || longs[f] != null)) {
                if (numeric.fill() != null) {
                    return false;
                }
                for (int row = 0; row < column.size(); row++) {
                    if (column.isMissing(row)) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }

        /** Encodes one cell of step {@code f} at {@code out[offset…]} (nowhere when out is null), or adds its problem. */
        void cell(int f, int row, double[] out, int offset, List<DataProblem> problems, BiFunction<Integer, Integer, String> field) {
            ColumnStep step = FeaturePipeline.this.steps.get(f);
            if (step instanceof NumericStep numeric) {
                double value;
                if (doubles[f] != null && !Double.isNaN(doubles[f][row])) {
                    value = doubles[f][row];
                } else if (longs[f] != null && !columns.get(f).isMissing(row)) {
                    value = longs[f][row];
                } else {
                    Object cell = columns.get(f).cell(row);
                    Double known = cell instanceof Number n ? Double.valueOf(n.doubleValue()) : cell == null ? numeric.fill() : null;
                    if (known == null) {
                        problems.add(new DataProblem(field.apply(row, f), cell == null
                                ? "missing value in feature '" + step.name() + "' (imputation is drop)"
                                : "feature '" + step.name() + "' needs a number, got " + FeatureMatrix.describe(cell)));
                        return;
                    }
                    value = known;
                }
                if (out != null) {
                    out[offset] = (value - numeric.center()) / numeric.scale();
                }
                return;
            }
            CategoricalStep categorical = (CategoricalStep) step;
            Object cell = columns.get(f).cell(row);
            Object category = cell != null ? cell : categorical.fill();
            if (category == null) {
                problems.add(new DataProblem(field.apply(row, f), "missing value in feature '" + step.name()
                        + "' (imputation is drop)"));
                return;
            }
            int index = lookups[f].indexOf(category);
            if (index >= 0) {
                if (out != null) {
                    out[offset + index] = 1;
                }
            } else if (categorical.unknown().equals("reject")) {
                problems.add(new DataProblem(field.apply(row, f), "unknown category " + FeatureMatrix.describe(category)
                        + " of feature '" + step.name() + "'; known: " + categorical.categories()));
            }
        }
    }

    /** The first categorical step's column, or null when every feature is numeric (one input per column). */
    public String firstCategoricalColumn() {
        return steps.stream().filter(step -> step instanceof CategoricalStep).map(ColumnStep::name).findFirst().orElse(null);
    }

    /** Whether every step is numeric with neither centering nor scaling, so that a finite value encodes as itself. */
    public boolean isIdentity() {
        for (ColumnStep step : steps) {
            if (!(step instanceof NumericStep numeric) || numeric.center() != 0 || numeric.scale() != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes {@code rows} rows of numeric features given as float32 values ({@code raw}, row-major,
     * one value per step), with NaN for a missing value: the binary counterpart of {@link #transform}
     * for pipelines without categorical steps.
     *
     * @throws IllegalStateException when a step is categorical
     * @throws DataException listing the first infinite values and the missing ones that cannot be imputed
     */
    public double[] transformNumeric(float[] raw, int rows, BiFunction<Integer, Integer, String> field) {
        int width = steps.size();
        double[] center = new double[width];
        double[] scale = new double[width];
        for (int f = 0; f < width; f++) {
            if (!(steps.get(f) instanceof NumericStep step)) {
                throw new IllegalStateException("feature '" + steps.get(f).name() + "' is categorical");
            }
            center[f] = step.center();
            scale[f] = step.scale();
        }
        double[] out = new double[rows * width];
        // The common case in one tight pass; NaN and infinity are rare and found afterwards. Without scaling
        // (center 0, scale 1 everywhere) the value is the answer: (v − 0) / 1 is v exactly, and a division per
        // value is most of this pass.
        boolean allFinite = true;
        if (isIdentity()) {
            for (int i = 0; i < raw.length; i++) {
                allFinite &= Float.isFinite(raw[i]);
                out[i] = raw[i];
            }
        } else {
            for (int r = 0, i = 0; r < rows; r++) {
                for (int f = 0; f < width; f++, i++) {
                    float value = raw[i];
                    allFinite &= Float.isFinite(value);
                    out[i] = (value - center[f]) / scale[f];
                }
            }
        }
        if (!allFinite) {
            imputeOrReject(raw, out, rows, field);
        }
        return out;
    }

    /** Replaces NaN by the step's fill (or reports it when there is none) and reports infinite values. */
    private void imputeOrReject(float[] raw, double[] out, int rows, BiFunction<Integer, Integer, String> field) {
        int width = steps.size();
        List<DataProblem> problems = new ArrayList<>();
        for (int r = 0, i = 0; r < rows; r++) {
            for (int f = 0; f < width; f++, i++) {
                NumericStep step = (NumericStep) steps.get(f);
                if (Float.isNaN(raw[i])) {
                    if (step.fill() == null) {
                        addProblem(problems, field.apply(r, f), "missing value (NaN) in feature '" + step.name()
                                + "' (imputation is drop)");
                    } else {
                        out[i] = (step.fill() - step.center()) / step.scale();
                    }
                } else if (Float.isInfinite(raw[i])) {
                    addProblem(problems, field.apply(r, f), "feature '" + step.name() + "' needs a finite number, got " + raw[i]);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
    }

    private static void addProblem(List<DataProblem> problems, String field, String message) {
        if (problems.size() < DataException.MAX_PROBLEMS) {
            problems.add(new DataProblem(field, message));
        }
    }
}
