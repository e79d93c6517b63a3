package dev.backprop.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns of a {@link Table} are features and which one is the target.
 *
 * @param featureColumns the feature columns, in the order the model reads them
 * @param targetColumn   the column to predict
 */
public record ColumnSelection(List<String> featureColumns, String targetColumn) {

    public ColumnSelection {
        featureColumns = List.copyOf(featureColumns);
    }

    /**
     * Resolves the selection against a table: the target must exist; features default to every other
     * column, and named ones must exist, be unique and not include the target.
     */
    public static ColumnSelection resolve(Table table, String targetColumn, List<String> featureColumns) {
        List<DataProblem> problems = new ArrayList<>();
        if (targetColumn == null || table.indexOf(targetColumn) < 0) {
            problems.add(new DataProblem("data.targetColumn", targetColumn == null ? "is required with columns and rows"
                    : "unknown column '" + targetColumn + "'; columns are " + table.columns()));
        }
        List<String> features;
        if (featureColumns == null || featureColumns.isEmpty()) {
            features = table.columns().stream().filter(c -> !c.equals(targetColumn)).toList();
        } else {
            features = featureColumns;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < featureColumns.size(); i++) {
                String name = featureColumns.get(i);
                String field = "data.featureColumns[" + i + "]";
                if (table.indexOf(name) < 0) {
                    problems.add(new DataProblem(field, "unknown column '" + name + "'; columns are " + table.columns()));
                } else if (name.equals(targetColumn)) {
                    problems.add(new DataProblem(field, "the target column cannot also be a feature"));
                } else if (!seen.add(name)) {
                    problems.add(new DataProblem(field, "duplicate feature column '" + name + "'"));
                }
            }
        }
        if (problems.isEmpty() && features.isEmpty()) {
            problems.add(new DataProblem("data.columns", "needs at least one feature column besides the target"));
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new ColumnSelection(features, targetColumn);
    }
}
