package dev.backprop.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The raw feature cells and target of every row, in feature-column order, before any encoding.
 *
 * @param cells   one list of feature cells per row (numbers, strings, booleans or null)
 * @param names   feature column names, in column order
 * @param targets the target cell of each row
 * @param tableRows the table row each row came from (rows dropped for missing values are absent)
 */
public record FeatureMatrix(List<List<Object>> cells, List<String> names, List<Object> targets, int[] tableRows) {

    public FeatureMatrix {
        names = List.copyOf(names);
    }

    public int rows() {
        return cells.size();
    }

    public int featureCount() {
        return names.size();
    }

    /**
     * Extracts the feature cells and targets; every target must be present. With
     * {@code dropMissing}, rows with a missing feature are left out.
     */
    public static FeatureMatrix extract(Table table, ColumnSelection selection, boolean dropMissing) {
        int[] featureIndex = selection.featureColumns().stream().mapToInt(table::indexOf).toArray();
        int targetIndex = table.indexOf(selection.targetColumn());
        List<List<Object>> cells = new ArrayList<>(table.rowCount());
        List<Object> targets = new ArrayList<>(table.rowCount());
        List<Integer> kept = new ArrayList<>();
        List<DataProblem> problems = new ArrayList<>();
        rows:
        for (int r = 0; r < table.rowCount(); r++) {
            List<Object> row = table.rows().get(r);
            Object target = row.get(targetIndex);
            if (target == null) {
                if (problems.size() < DataException.MAX_PROBLEMS) {
                    problems.add(new DataProblem("data.rows[" + r + "][" + targetIndex + "]",
                            "target column '" + selection.targetColumn() + "' must not be null"));
                }
                continue;
            }
            List<Object> features = new ArrayList<>(featureIndex.length);
            for (int index : featureIndex) {
                Object cell = row.get(index);
                if (cell == null && dropMissing) {
                    continue rows;
                }
                features.add(cell);
            }
            cells.add(features);
            targets.add(target);
            kept.add(r);
        }
        if (problems.isEmpty() && cells.isEmpty()) {
            problems.add(new DataProblem("data.rows", table.rowCount() == 0 ? "must hold at least one row"
                    : "no row is left once rows with missing features are dropped"));
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new FeatureMatrix(cells, selection.featureColumns(), targets, kept.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Problems for columns that mix numbers with strings or booleans: such a column is neither numeric
     * nor clearly categorical, so the cells of the minority kind are reported (a stray string in a
     * numeric column is the usual case). CSV columns never mix: their reader keeps a mixed column as text.
     *
     * @param field names a cell from its row and feature index
     */
    public List<DataProblem> mixedColumns(java.util.function.BiFunction<Integer, Integer, String> field) {
        List<DataProblem> problems = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            int numbers = 0;
            int others = 0;
            for (List<Object> row : cells) {
                Object cell = row.get(f);
                if (cell instanceof Number) {
                    numbers++;
                } else if (cell != null) {
                    others++;
                }
            }
            if (numbers == 0 || others == 0) {
                continue;
            }
            boolean numeric = numbers >= others;
            for (int r = 0; r < cells.size() && problems.size() < DataException.MAX_PROBLEMS; r++) {
                Object cell = cells.get(r).get(f);
                if (cell != null && (cell instanceof Number) != numeric) {
                    problems.add(new DataProblem(field.apply(r, f), "feature column '" + names.get(f) + "' holds "
                            + (numeric ? "numbers, so " + describe(cell) + " does not belong"
                            : "categories, so the number " + cell + " does not belong; send it as a string")));
                }
            }
        }
        return problems;
    }

    /** How a cell reads in an error message. */
    public static String describe(Object cell) {
        if (cell == null) {
            return "null";
        }
        if (cell instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (cell instanceof Boolean b) {
            return "the boolean " + b;
        }
        return cell.toString();
    }
}
