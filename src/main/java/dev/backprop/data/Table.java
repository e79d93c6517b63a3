package dev.backprop.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tabular data as submitted: named columns and rows of cells. A cell is a {@link Long} (an integral
 * JSON number), a finite {@link Double}, a {@link String}, a {@link Boolean} or {@code null}.
 *
 * @param columns unique, non-blank column names
 * @param rows    one list of cells per row, each as long as {@code columns}
 */
public record Table(List<String> columns, List<List<Object>> rows) {

    public Table {
        List<DataProblem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            if (name == null || name.isBlank()) {
                problems.add(new DataProblem("data.columns[" + c + "]", "column names must not be blank"));
            } else if (name.indexOf('\0') >= 0) {
                problems.add(new DataProblem("data.columns[" + c + "]", NUL));
            } else if (!seen.add(name)) {
                problems.add(new DataProblem("data.columns[" + c + "]", "duplicate column name '" + name + "'"));
            }
        }
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
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** NUL is no character of any stored text: PostgreSQL rejects it in every text column. */
    public static final String NUL = "must not contain the NUL character (U+0000)";

    /** The index of a column, or -1. */
    public int indexOf(String column) {
        return columns.indexOf(column);
    }

    public int rowCount() {
        return rows.size();
    }
}
