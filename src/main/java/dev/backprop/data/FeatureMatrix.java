package dev.backprop.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The raw feature columns and target of every row, in feature-column order, before any encoding. The
 * columns are the table's own when no row is dropped: a 70,000 × 784 table is not copied to be prepared.
 *
 * @param columns   one column per feature, each with one cell per row (numbers, strings, booleans or null)
 * @param names     feature column names, in column order
 * @param targets   the target cell of each row
 * @param tableRows the table row each row came from (rows dropped for missing values are absent)
 */
public record FeatureMatrix(List<Column> columns, List<String> names, List<Object> targets, int[] tableRows) {

    public FeatureMatrix {
        columns = List.copyOf(columns);
        names = List.copyOf(names);
    }

    public int rows() {
        return targets.size();
    }

    public int featureCount() {
        return names.size();
    }

    /** The feature cells row by row, boxed when read (for small tables and messages). */
    public List<List<Object>> cells() {
        return new AbstractList<>() {
            @Override
            public List<Object> get(int row) {
                Object[] cells = new Object[columns.size()];
                for (int f = 0; f < cells.length; f++) {
                    cells[f] = columns.get(f).cell(row);
                }
                return Arrays.asList(cells);
            }

            @Override
            public int size() {
                return rows();
            }
        };
    }

    /**
     * Extracts the feature columns and targets; every target must be present. With
     * {@code dropMissing}, rows with a missing feature are left out.
     */
    public static FeatureMatrix extract(Table table, ColumnSelection selection, boolean dropMissing) {
        int[] featureIndex = selection.featureColumns().stream().mapToInt(table::indexOf).toArray();
        int targetIndex = table.indexOf(selection.targetColumn());
        Column target = table.column(targetIndex);
        List<Column> features = Arrays.stream(featureIndex).mapToObj(table::column).toList();
        List<Object> targets = new ArrayList<>(table.rowCount());
        int[] kept = new int[table.rowCount()];
        int keptCount = 0;
        List<DataProblem> problems = new ArrayList<>();
        rows:
        for (int r = 0; r < table.rowCount(); r++) {
            Object cell = target.cell(r);
            if (cell == null) {
                if (problems.size() < DataException.MAX_PROBLEMS) {
                    problems.add(new DataProblem("data.rows[" + r + "][" + targetIndex + "]",
                            "target column '" + selection.targetColumn() + "' must not be null"));
                }
                continue;
            }
            if (dropMissing) {
                for (Column feature : features) {
                    if (feature.isMissing(r)) {
                        continue rows;
                    }
                }
            }
            targets.add(cell);
            kept[keptCount++] = r;
        }
        if (problems.isEmpty() && keptCount == 0) {
            problems.add(new DataProblem("data.rows", table.rowCount() == 0 ? "must hold at least one row"
                    : "no row is left once rows with missing features are dropped"));
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        int[] rows = Arrays.copyOf(kept, keptCount);
        List<Column> columns = keptCount == table.rowCount() ? features
                : features.stream().map(column -> Column.select(column, rows)).toList();
        return new FeatureMatrix(columns, selection.featureColumns(), targets, rows);
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
            if (!(columns.get(f) instanceof Column.Cells column)) {
                continue;  // a primitive column holds one kind
            }
            int numbers = 0;
            int others = 0;
            for (Object cell : column.cells()) {
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
            for (int r = 0; r < column.size() && problems.size() < DataException.MAX_PROBLEMS; r++) {
                Object cell = column.cell(r);
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
