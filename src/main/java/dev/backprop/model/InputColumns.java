package dev.backprop.model;

import dev.backprop.data.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows sent to a model, written cell by cell as a JSON body is read and kept column by column in
 * primitive arrays: numbers in a {@code double[]} per column (NaN where a cell is missing, null or not
 * a number), the rare other cells (strings, booleans, integers beyond 2⁵³) beside them. A 64-row
 * request of a 784-feature model is then 784 arrays of 64 doubles, which the pipeline encodes as they
 * are, instead of 50,176 boxed cells in 64 lists (which took most of such a request's time).
 *
 * <p>Rows are arrays in the model's feature order ({@link #instances()}: column {@code c} is position
 * {@code c}) or records keyed by column name ({@link #records()}: columns in order of first appearance).
 * Not thread-safe: one request's reader fills it, then the service reads it.
 */
public final class InputColumns {

    /** Wider rows are no model's rows (a data set has at most {@code backprop.limits.max-columns}); their extra cells are counted only. */
    public static final int MAX_COLUMNS = 100_000;

    /** Integers up to this magnitude are exact doubles. */
    private static final long EXACT_INTEGERS = 1L << 53;

    private final boolean named;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final List<Cells> columns = new ArrayList<>();
    private int[] lengths = new int[1];
    private int rows;
    private int capacity = 1;

    /** One column's cells; {@code others}, {@code integral} and {@code present} are made when first needed. */
    private static final class Cells {
        double[] numbers;
        Object[] others;
        BitSet integral;
        BitSet present;

        Cells(int capacity) {
            numbers = new double[capacity];
            Arrays.fill(numbers, Double.NaN);
        }
    }

    private InputColumns(boolean named) {
        this.named = named;
    }

    /** Rows as arrays of values in the model's feature order. */
    public static InputColumns instances() {
        return new InputColumns(false);
    }

    /** Rows as records keyed by column name. */
    public static InputColumns records() {
        return new InputColumns(true);
    }

    /** Whether the rows are records (keyed by name) rather than instances (by position). */
    public boolean named() {
        return named;
    }

    public int rowCount() {
        return rows;
    }

    /** Records: the column names, in order of first appearance. */
    public List<String> names() {
        return names;
    }

    /** Records: the column of a name, or -1 when no record named it. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    /** Instances: how many values row {@code row} held. */
    public int rowLength(int row) {
        return lengths[row];
    }

    /** Records: whether record {@code row} named column {@code column} (a null value counts). */
    public boolean isPresent(int column, int row) {
        BitSet present = columns.get(column).present;
        return present != null && present.get(row);
    }

    /** Starts the next row; every cell of it is missing until written. */
    public void startRow() {
        if (rows == capacity) {
            capacity *= 2;
            for (Cells column : columns) {
                int old = column.numbers.length;
                column.numbers = Arrays.copyOf(column.numbers, capacity);
                Arrays.fill(column.numbers, old, capacity, Double.NaN);
                if (column.others != null) {
                    column.others = Arrays.copyOf(column.others, capacity);
                }
            }
            lengths = Arrays.copyOf(lengths, capacity);
        }
        rows++;
    }

    /** Instances: ends the current row, which held {@code length} values. */
    public void endRow(int length) {
        lengths[rows - 1] = length;
    }

    /** Instances: the column of position {@code position}, or -1 beyond {@link #MAX_COLUMNS}. */
    public int column(int position) {
        if (position >= MAX_COLUMNS) {
            return -1;
        }
        while (columns.size() <= position) {
            columns.add(new Cells(capacity));
        }
        return position;
    }

    /** Records: the column of a name, added on first sight, or -1 once {@link #MAX_COLUMNS} names are known. */
    public int column(String name) {
        Integer index = indexByName.get(name);
        if (index != null) {
            return index;
        }
        if (columns.size() >= MAX_COLUMNS) {
            return -1;
        }
        names.add(name);
        indexByName.put(name, columns.size());
        columns.add(new Cells(capacity));
        return columns.size() - 1;
    }

    /** A finite number in the current row. */
    public void number(int column, double value) {
        Cells cells = columns.get(column);
        cells.numbers[rows - 1] = value;
        markPresent(cells);
    }

    /** An integral number in the current row, kept exact and integral (a category {@code 1} reads as {@code 1}, not {@code 1.0}). */
    public void integer(int column, long value) {
        Cells cells = columns.get(column);
        if (value > EXACT_INTEGERS || value < -EXACT_INTEGERS) {
            other(column, value);
            return;
        }
        cells.numbers[rows - 1] = value;
        if (cells.integral == null) {
            cells.integral = new BitSet();
        }
        cells.integral.set(rows - 1);
        markPresent(cells);
    }

    /** A cell that is not a number (a string or a boolean), or an integer beyond 2⁵³, in the current row. */
    public void other(int column, Object cell) {
        Cells cells = columns.get(column);
        if (cells.others == null) {
            cells.others = new Object[cells.numbers.length];
        }
        cells.others[rows - 1] = cell;
        markPresent(cells);
    }

    /** A null (or problem) cell in the current row: missing, but named by its record. */
    public void missing(int column) {
        markPresent(columns.get(column));
    }

    private void markPresent(Cells cells) {
        if (named) {
            if (cells.present == null) {
                cells.present = new BitSet();
            }
            cells.present.set(rows - 1);
        }
    }

    /** How many columns (positions or names) were seen. */
    public int columnCount() {
        return columns.size();
    }

    /**
     * Column {@code index} as a table column of {@link #rowCount()} cells: its numbers alone when every
     * cell is a number or missing, else its cells ({@link Long} for integers when {@code keepIntegers}, as a
     * categorical step reads them); all missing when {@code index} is -1.
     */
    public Column column(int index, boolean keepIntegers) {
        if (index < 0 || index >= columns.size()) {
            double[] missing = new double[rows];
            Arrays.fill(missing, Double.NaN);
            return new Column.Doubles(missing);
        }
        Cells cells = columns.get(index);
        if (cells.others == null && !(keepIntegers && cells.integral != null)) {
            return new Column.Doubles(cells.numbers.length == rows ? cells.numbers : Arrays.copyOf(cells.numbers, rows));
        }
        Object[] boxed = new Object[rows];
        for (int r = 0; r < rows; r++) {
            double value = cells.numbers[r];
            if (cells.others != null && cells.others[r] != null) {
                boxed[r] = cells.others[r];
            } else if (!Double.isNaN(value)) {
                boxed[r] = cells.integral != null && cells.integral.get(r) ? (Object) (long) value : (Object) value;
            }
        }
        return new Column.Cells(boxed);
    }
}
