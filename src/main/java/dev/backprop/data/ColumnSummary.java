package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.backprop.nn.ParallelBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inferred schema and statistics of one column.
 *
 * @param type          {@code numeric}, {@code boolean}, {@code categorical} or {@code empty}
 * @param missing       cells without a value
 * @param min           numeric: smallest value
 * @param max           numeric: largest value
 * @param mean          numeric: mean
 * @param std           numeric: population standard deviation
 * @param distinct      distinct values (not numeric)
 * @param topCategories the most frequent values with their counts (not numeric), at most ten
 * @param nonNumeric    in a column of mostly numbers, the cells that are not (a CSV upload only), else null
 * @param histogram     numeric: counts of the present values in equal-width bins ({@link Histogram}); null for other
 *                      columns and for data sets stored before histograms were computed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSummary(String name, String type, int missing, Double min, Double max, Double mean, Double std,
                            Integer distinct, List<CategoryCount> topCategories, NonNumericCells nonNumeric,
                            Histogram histogram) {

    /** The summary with the non-numeric cells its reader found. */
    public ColumnSummary withNonNumeric(NonNumericCells cells) {
        return new ColumnSummary(name, type, missing, min, max, mean, std, distinct, topCategories, cells, histogram);
    }

    /** A value and how often it occurs. */
    public record CategoryCount(Object value, long count) {
    }

    private static final int TOP = 10;

    /** Columns summarized on one thread: below this, handing columns to another core costs more than it saves. */
    private static final int COLUMNS_PER_TASK = 16;

    /**
     * The summary of every column of a table. Wide tables are summarized on every core, a contiguous range of columns
     * per task (T4's 785 columns took 5 s of one core at upload, most of it the histograms); each column's figures are
     * those of a sequential pass, whichever thread computes them.
     */
    public static List<ColumnSummary> of(Table table) {
        int columns = table.columns().size();
        ColumnSummary[] summaries = new ColumnSummary[columns];
        int tasks = Math.max(1, Math.min(ParallelBlocks.threads(), columns / COLUMNS_PER_TASK));
        ParallelBlocks.forEachTask(tasks, task -> {
            for (int c = (int) ((long) columns * task / tasks); c < (long) columns * (task + 1) / tasks; c++) {
                summaries[c] = of(table, c);
            }
        });
        return new ArrayList<>(Arrays.asList(summaries));
    }

    /** Ranges of columns the summaries are cut into when they run alongside other work, for the threads to share. */
    private static final int ALONGSIDE_TASKS = 16;

    /**
     * The summary of every column of a table, as {@link #of(Table)}, computed by the pool's other threads while
     * {@code alongside} runs on the calling thread, which then summarizes the ranges of columns no other thread has
     * started. For the upload: its columns are stored by one thread (the database's writes) while the other core
     * summarizes them, instead of one after the other. A failure of {@code alongside} is thrown as it is.
     */
    public static List<ColumnSummary> of(Table table, Runnable alongside) {
        int columns = table.columns().size();
        ColumnSummary[] summaries = new ColumnSummary[columns];
        int tasks = Math.max(1, Math.min(ALONGSIDE_TASKS, columns / COLUMNS_PER_TASK));
        ParallelBlocks.forEachTask(tasks + 1, task -> {
            if (task == 0) {
                alongside.run();
                return;
            }
            for (int c = (int) ((long) columns * (task - 1) / tasks); c < (long) columns * task / tasks; c++) {
                summaries[c] = of(table, c);
            }
        });
        return new ArrayList<>(Arrays.asList(summaries));
    }

    private static ColumnSummary of(Table table, int column) {
        String name = table.columns().get(column);
        Column cells = table.column(column);
        int rows = cells.size();
        if (cells instanceof Column.Doubles doubles) {
            return numeric(name, doubles.values(), rows);
        }
        if (cells instanceof Column.Longs longs) {
            double[] values = new double[rows];
            for (int r = 0; r < rows; r++) {
                values[r] = longs.missing().get(r) ? Double.NaN : longs.values()[r];
            }
            return numeric(name, values, rows);
        }
        int missing = 0;
        boolean numeric = true;
        boolean bool = true;
        Map<Object, Long> counts = new LinkedHashMap<>();
        for (int r = 0; r < rows; r++) {
            Object cell = cells.cell(r);
            if (cell == null) {
                missing++;
                continue;
            }
            numeric &= cell instanceof Number;
            bool &= cell instanceof Boolean;
            counts.merge(cell, 1L, Long::sum);
        }
        if (missing == rows) {
            return new ColumnSummary(name, "empty", missing, null, null, null, null, 0, List.of(), null, null);
        }
        if (numeric) {
            double[] values = new double[rows];
            for (int r = 0; r < rows; r++) {
                values[r] = cells.cell(r) instanceof Number number ? number.doubleValue() : Double.NaN;
            }
            return numeric(name, values, rows);
        }
        List<CategoryCount> top = counts.entrySet().stream()
                .sorted(Map.Entry.<Object, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP).map(e -> new CategoryCount(e.getKey(), e.getValue())).toList();
        return new ColumnSummary(name, bool ? "boolean" : "categorical", missing, null, null, null, null, counts.size(), top,
                null, null);
    }

    /** Statistics of numbers with NaN for a missing cell: two passes, the second for a stable variance. */
    private static ColumnSummary numeric(String name, double[] values, int rows) {
        int present = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                present++;
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (present == 0) {
            return new ColumnSummary(name, "empty", rows, null, null, null, null, 0, List.of(), null, null);
        }
        double mean = sum / present;
        double squares = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                squares += (value - mean) * (value - mean);
            }
        }
        return new ColumnSummary(name, "numeric", rows - present, min, max, mean, Math.sqrt(squares / present), null, null,
                null, Histogram.of(values, present, min, max));
    }
}
