package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSummary(String name, String type, int missing, Double min, Double max, Double mean, Double std,
                            Integer distinct, List<CategoryCount> topCategories) {

    /** A value and how often it occurs. */
    public record CategoryCount(Object value, long count) {
    }

    private static final int TOP = 10;

    /** The summary of every column of a table. */
    public static List<ColumnSummary> of(Table table) {
        List<ColumnSummary> summaries = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            summaries.add(of(table, c));
        }
        return summaries;
    }

    private static ColumnSummary of(Table table, int column) {
        String name = table.columns().get(column);
        int missing = 0;
        boolean numeric = true;
        boolean bool = true;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        Map<Object, Long> counts = new LinkedHashMap<>();
        int present = 0;
        for (List<Object> row : table.rows()) {
            Object cell = row.get(column);
            if (cell == null) {
                missing++;
                continue;
            }
            present++;
            numeric &= cell instanceof Number;
            bool &= cell instanceof Boolean;
            if (cell instanceof Number number) {
                double value = number.doubleValue();
                sum += value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            counts.merge(cell, 1L, Long::sum);
        }
        if (present == 0) {
            return new ColumnSummary(name, "empty", missing, null, null, null, null, 0, List.of());
        }
        if (numeric) {
            double mean = sum / present;
            double squares = 0;
            for (List<Object> row : table.rows()) {
                if (row.get(column) instanceof Number number) {
                    squares += (number.doubleValue() - mean) * (number.doubleValue() - mean);
                }
            }
            return new ColumnSummary(name, "numeric", missing, min, max, mean, Math.sqrt(squares / present), null, null);
        }
        List<CategoryCount> top = counts.entrySet().stream()
                .sorted(Map.Entry.<Object, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP).map(e -> new CategoryCount(e.getKey(), e.getValue())).toList();
        return new ColumnSummary(name, bool ? "boolean" : "categorical", missing, null, null, null, null, counts.size(), top);
    }
}
