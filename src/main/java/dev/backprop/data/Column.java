package dev.backprop.data;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One column of a {@link Table}, held the way its cells allow: finite doubles in a {@code double[]}
 * (NaN for a missing cell, free since cells are finite), integral numbers in a {@code long[]} with a
 * bitmap of missing cells (so that integers beyond 2⁵³ and the difference between {@code 1} and
 * {@code 1.0}, which decides how class labels read, survive), anything else as its cells. A 70,000-row
 * numeric column is then one 560 KB array instead of 70,000 boxed values.
 */
public sealed interface Column permits Column.Doubles, Column.Longs, Column.Cells {

    /** Rows. */
    int size();

    /** The cell of a row as a table cell: a {@link Double}, {@link Long}, {@link String}, {@link Boolean} or null. */
    Object cell(int row);

    boolean isMissing(int row);

    /**
     * A column of finite doubles.
     *
     * @param values one per row, NaN where the cell is missing
     */
    record Doubles(double[] values) implements Column {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Object cell(int row) {
            return Double.isNaN(values[row]) ? null : values[row];
        }

        @Override
        public boolean isMissing(int row) {
            return Double.isNaN(values[row]);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Doubles that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /**
     * A column of integral numbers.
     *
     * @param values  one per row (0 where missing)
     * @param missing the rows without a value
     */
    record Longs(long[] values, BitSet missing) implements Column {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Object cell(int row) {
            return missing.get(row) ? null : values[row];
        }

        @Override
        public boolean isMissing(int row) {
            return missing.get(row);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Longs that && Arrays.equals(values, that.values) && missing.equals(that.missing);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /**
     * A column of strings, booleans or mixed kinds.
     *
     * @param cells one per row, null where missing
     */
    record Cells(Object[] cells) implements Column {
        @Override
        public int size() {
            return cells.length;
        }

        @Override
        public Object cell(int row) {
            return cells[row];
        }

        @Override
        public boolean isMissing(int row) {
            return cells[row] == null;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cells that && Arrays.equals(cells, that.cells);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(cells);
        }
    }

    /** The column of cells as the most compact kind that keeps every cell as it is. */
    static Column of(List<List<Object>> rows, int column) {
        boolean allDouble = true;
        boolean allLong = true;
        for (List<Object> row : rows) {
            Object cell = row.get(column);
            allDouble &= cell == null || cell instanceof Double;
            allLong &= cell == null || cell instanceof Long;
        }
        int size = rows.size();
        if (allDouble) {
            double[] values = new double[size];
            for (int r = 0; r < size; r++) {
                Object cell = rows.get(r).get(column);
                values[r] = cell == null ? Double.NaN : (Double) cell;
            }
            return new Doubles(values);
        }
        if (allLong) {
            long[] values = new long[size];
            BitSet missing = new BitSet(size);
            for (int r = 0; r < size; r++) {
                Object cell = rows.get(r).get(column);
                if (cell == null) {
                    missing.set(r);
                } else {
                    values[r] = (Long) cell;
                }
            }
            return new Longs(values, missing);
        }
        Object[] cells = new Object[size];
        for (int r = 0; r < size; r++) {
            cells[r] = rows.get(r).get(column);
        }
        return new Cells(cells);
    }

    /** The cells of {@code rows}, in that order, as a column of the same kind. */
    static Column select(Column column, int[] rows) {
        if (column instanceof Doubles doubles) {
            double[] values = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                values[i] = doubles.values()[rows[i]];
            }
            return new Doubles(values);
        }
        if (column instanceof Longs longs) {
            long[] values = new long[rows.length];
            BitSet missing = new BitSet(rows.length);
            for (int i = 0; i < rows.length; i++) {
                values[i] = longs.values()[rows[i]];
                missing.set(i, longs.missing().get(rows[i]));
            }
            return new Longs(values, missing);
        }
        Object[] cells = new Object[rows.length];
        for (int i = 0; i < rows.length; i++) {
            cells[i] = column.cell(rows[i]);
        }
        return new Cells(cells);
    }

    /** Rows of cells as columns, one per position. */
    static List<Column> columnsOf(List<List<Object>> rows, int width) {
        List<Column> columns = new java.util.ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            columns.add(of(rows, c));
        }
        return columns;
    }
}
