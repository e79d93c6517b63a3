package dev.backprop.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tabular data: named columns, each held as a {@link Column} of primitive values where its cells
 * allow. A cell is a {@link Long} (an integral number), a finite {@link Double}, a {@link String}, a
 * {@link Boolean} or {@code null}; {@link #rows()} shows the cells row by row (boxed on access, for the
 * small tables of requests and tests; the large paths read {@link #column(int)}).
 */
public final class Table {

    /** NUL is no character of any stored text: PostgreSQL rejects it in every text column. */
    public static final String NUL = "must not contain the NUL character (U+0000)";

    private final List<String> columns;
    private final List<Column> data;
    private final int rowCount;

    /**
     * A table from rows of cells, as submitted in JSON.
     *
     * @param columns unique, non-blank column names
     * @param rows    one list of cells per row, each as long as {@code columns}
     * @throws DataException naming the columns and rows at fault
     */
    @JsonCreator
    public Table(@JsonProperty("columns") List<String> columns, @JsonProperty("rows") List<List<Object>> rows) {
        List<DataProblem> problems = checkNames(columns, c -> "data.columns[" + c + "]");
        for (int r = 0; r < rows.size() && problems.size() < DataException.MAX_PROBLEMS; r++) {
            if (rows.get(r).size() != columns.size()) {
                problems.add(new DataProblem("data.rows[" + r + "]", "has " + rows.get(r).size() + " values, expected "
                        + columns.size() + " (one per column)"));
            }
            List<Object> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                if (row.get(c) instanceof String text && text.indexOf('\0') >= 0) {
                    problems.add(new DataProblem("data.rows[" + r + "][" + c + "]", NUL));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        // After the checks: List.copyOf rejects a null column name with a NullPointerException, not a problem.
        this.columns = List.copyOf(columns);
        List<Column> built = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            built.add(Column.of(rows, c));
        }
        this.data = List.copyOf(built);
        this.rowCount = rows.size();
    }

    private Table(List<String> columns, List<Column> data, int rowCount) {
        this.columns = List.copyOf(columns);
        this.data = List.copyOf(data);
        this.rowCount = rowCount;
    }

    /**
     * A table from columns already typed (a CSV file, a stored data set).
     *
     * @throws DataException for blank, duplicate or NUL-holding names
     * @throws IllegalArgumentException when the columns differ in length or in number from the names
     */
    public static Table ofColumns(List<String> names, List<Column> columns) {
        List<DataProblem> problems = checkNames(names, c -> "data.columns[" + c + "]");
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        if (names.size() != columns.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + columns.size() + " columns");
        }
        int rows = columns.isEmpty() ? 0 : columns.get(0).size();
        for (Column column : columns) {
            if (column.size() != rows) {
                throw new IllegalArgumentException("columns of " + rows + " and " + column.size() + " rows");
            }
        }
        return new Table(names, columns, rows);
    }

    private static List<DataProblem> checkNames(List<String> columns, java.util.function.IntFunction<String> field) {
        List<DataProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            if (name == null || name.isBlank()) {
                problems.add(new DataProblem(field.apply(c), "column names must not be blank"));
            } else if (name.indexOf('\0') >= 0) {
                problems.add(new DataProblem(field.apply(c), NUL));
            } else if (!seen.add(name)) {
                problems.add(new DataProblem(field.apply(c), "duplicate column name '" + name + "'"));
            }
        }
        return problems;
    }

    @JsonProperty("columns")
    public List<String> columns() {
        return columns;
    }

    /** The cells row by row: a view that boxes each cell when it is read. */
    @JsonProperty("rows")
    public List<List<Object>> rows() {
        return new AbstractList<>() {
            @Override
            public List<Object> get(int row) {
                return rowOf(row);
            }

            @Override
            public int size() {
                return rowCount;
            }
        };
    }

    private List<Object> rowOf(int row) {
        java.util.Objects.checkIndex(row, rowCount);
        Object[] cells = new Object[data.size()];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = data.get(c).cell(row);
        }
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(cells));
    }

    /** A column by its position. */
    public Column column(int index) {
        return data.get(index);
    }

    /** The index of a column, or -1. */
    public int indexOf(String column) {
        return columns.indexOf(column);
    }

    public int rowCount() {
        return rowCount;
    }

    /** The first {@code rows} rows (all when there are fewer). */
    public List<List<Object>> head(int rows) {
        return rows().subList(0, Math.min(rows, rowCount));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Table that && columns.equals(that.columns) && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return columns.hashCode() * 31 + data.hashCode();
    }

    @Override
    public String toString() {
        return "Table" + columns + " × " + rowCount + " rows";
    }
}
