package dev.backprop.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One CSV column as it is read: its kind inferred cell by cell (empty, integers, decimals, booleans,
 * text) and its values appended to primitive chunks of that kind, so that a column costs its values
 * and nothing per cell. A column that turns to text after holding numbers or booleans cannot rebuild
 * their exact text ({@code 1.50}, {@code TRUE}); it stops storing and asks for a second pass that
 * reads it as text ({@link #needsText()}).
 */
final class ColumnBuilder {

    private enum Kind { EMPTY, INTEGER, DECIMAL, BOOLEAN, TEXT }

    /** Values per chunk: a column grows by 64 KB at a time and is copied once, into its exact length. */
    private static final int CHUNK = 8192;
    private static final int SAMPLES = 5;
    /** Distinct texts a column shares as one String each; beyond that every cell keeps its own. */
    private static final int INTERNED = 10_000;
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");
    /** A text column is "mostly numeric" when at most this share of its cells are not numbers. */
    private static final double MOSTLY_NUMERIC = 0.1;

    private final String name;
    private final ColumnType forced;
    private Kind kind = Kind.EMPTY;
    private int rows;
    private boolean needsText;

    private final List<long[]> longs = new ArrayList<>();
    private final List<double[]> doubles = new ArrayList<>();
    private final List<Object[]> cells = new ArrayList<>();
    private final BitSet missing = new BitSet();
    private final Map<String, String> interned = new HashMap<>();

    private long numbers;
    private long nonNumbers;
    private final List<Long> nonNumberRows = new ArrayList<>();
    private final Set<String> nonNumberValues = new LinkedHashSet<>();
    /** Non-finite and out-of-range numbers: problems unless the column ends as text. */
    private final List<DataProblem> numberProblems = new ArrayList<>();

    /**
     * A cell that is no number, in a builder for one segment of a file ({@link CsvSegments}): the segments hold only
     * numbers and empty cells, else the file is read in one pass. No stack trace: it ends a segment, not a program.
     */
    static final class NotNumeric extends RuntimeException {
        NotNumeric() {
            super("a cell that is no number", null, false, false);
        }
    }

    private final boolean numbersOnly;

    ColumnBuilder(String name, ColumnType forced) {
        this(name, forced, false);
    }

    /** @param numbersOnly throw {@link NotNumeric} at the first cell that is no number (a forced categorical column takes any) */
    ColumnBuilder(String name, ColumnType forced, boolean numbersOnly) {
        this.name = name;
        this.forced = forced;
        this.numbersOnly = numbersOnly;
        if (forced == ColumnType.CATEGORICAL) {
            kind = Kind.TEXT;
        } else if (forced == ColumnType.NUMERIC) {
            kind = Kind.DECIMAL;
        }
    }

    /**
     * Appends the next cell: bytes {@code [from, to)} of {@code bytes}, with {@code text} its decoded
     * form when the reader had to decode it (null for ASCII it left alone).
     */
    void add(byte[] bytes, int from, int to, CellText text, NumberScan scan, long row) {
        int start = trimmedStart(bytes, from, to);
        int end = trimmedEnd(bytes, start, to);
        int index = rows++;
        if (start == end) {
            if (kind == Kind.TEXT && to > from) {
                appendText(index, text.of(bytes, from, to));   // a blank text cell keeps its blanks, as ever
            } else {
                missingAt(index);
            }
            return;
        }
        if (forced == ColumnType.CATEGORICAL) {
            appendText(index, text.of(bytes, from, to));
            return;
        }
        int number = scan.scan(bytes, start, end);
        if (number == NumberScan.NONE) {
            if (numbersOnly) {
                throw new NotNumeric();
            }
            String value = text.of(bytes, from, to);
            nonNumber(value.strip(), row);
            if (forced == ColumnType.NUMERIC) {
                missingAt(index);
                return;
            }
            String lower = value.strip().toLowerCase(Locale.ROOT);
            if (NON_FINITE.contains(lower)) {
                if (kind != Kind.TEXT) {
                    addProblem(row, "non-finite number '" + value + "'; leave the field empty for a missing value");
                    missingAt(index);
                } else {
                    appendText(index, value);
                }
                return;
            }
            if (lower.equals("true") || lower.equals("false")) {
                if (kind == Kind.EMPTY || kind == Kind.BOOLEAN) {
                    become(Kind.BOOLEAN, index);
                    appendCell(index, Boolean.valueOf(lower));
                    return;
                }
            }
            toText(index);
            appendText(index, value);
            return;
        }
        numbers++;
        if (kind == Kind.TEXT) {
            appendText(index, text.of(bytes, from, to));
            return;
        }
        if (kind == Kind.BOOLEAN) {
            toText(index);
            return;
        }
        double value = number == NumberScan.INTEGER ? scan.longValue : scan.doubleValue;
        if (!Double.isFinite(value)) {
            addProblem(row, "number out of range: " + text.of(bytes, from, to));
            value = Double.NaN;
        }
        store(index, number, scan.longValue, value);
    }

    /** Stores a number of a column of numbers: an integer stays one while the column holds only integers. */
    private void store(int index, int number, long integer, double value) {
        if (number == NumberScan.INTEGER && (kind == Kind.EMPTY || kind == Kind.INTEGER) && forced == null) {
            become(Kind.INTEGER, index);
            longChunk(index)[index % CHUNK] = integer;
            return;
        }
        become(Kind.DECIMAL, index);
        doubleChunk(index)[index % CHUNK] = value;
    }

    /**
     * Appends this column's cells of a block of rows, which are numbers or empty ({@link RowBlock}): what
     * {@link #add} would have stored cell by cell. A column of decimals, nearly every column of a numeric file, takes
     * the block in one loop over its current chunk; any other kind goes cell by cell through the same rules.
     */
    void addBlock(RowBlock block, int column) {
        int count = block.rows();
        int width = block.width();
        byte[] kinds = block.kinds;
        long[] values = block.values;
        if (kind == Kind.DECIMAL && !needsText) {
            for (int r = 0; r < count; ) {
                double[] chunk = doubleChunk(rows);
                int at = rows % CHUNK;
                int n = Math.min(count - r, CHUNK - at);
                for (int k = 0, i = r * width + column; k < n; k++, i += width) {
                    byte number = kinds[i];
                    chunk[at + k] = number == NumberScan.DECIMAL ? Double.longBitsToDouble(values[i])
                            : number == NumberScan.INTEGER ? (double) values[i] : Double.NaN;
                    numbers += number == NumberScan.NONE ? 0 : 1;
                }
                rows += n;
                r += n;
            }
            return;
        }
        for (int r = 0, i = column; r < count; r++, i += width) {
            int index = rows++;
            byte number = kinds[i];
            if (number == NumberScan.NONE) {
                missingAt(index);
            } else {
                numbers++;
                store(index, number, values[i], number == NumberScan.DECIMAL ? Double.longBitsToDouble(values[i]) : values[i]);
            }
        }
    }

    /** Where a cell's text starts once its leading blanks (spaces, tabs) are dropped. */
    static int trimmedStart(byte[] bytes, int from, int to) {
        int start = from;
        while (start < to && (bytes[start] == ' ' || bytes[start] == '\t')) {
            start++;
        }
        return start;
    }

    /** Where a cell's text ends once its trailing blanks are dropped, not before {@code start}. */
    static int trimmedEnd(byte[] bytes, int start, int to) {
        int end = to;
        while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
            end--;
        }
        return end;
    }

    private void nonNumber(String value, long row) {
        nonNumbers++;
        if (nonNumberRows.size() < SAMPLES) {
            nonNumberRows.add(row);
        }
        if (nonNumberValues.size() < SAMPLES) {
            nonNumberValues.add(value.length() > 40 ? value.substring(0, 40) + "…" : value);
        }
    }

    private void addProblem(long row, String message) {
        if (numberProblems.size() < DataException.MAX_PROBLEMS) {
            numberProblems.add(new DataProblem("row " + row + ", column '" + name + "'", message));
        }
    }

    private void missingAt(int index) {
        if (needsText) {
            return;
        }
        switch (kind) {
            case INTEGER -> {
                longChunk(index);
                missing.set(index);
            }
            case DECIMAL -> doubleChunk(index)[index % CHUNK] = Double.NaN;
            case BOOLEAN, TEXT -> cellChunk(index);
            default -> {
                // still empty: the missing rows are counted by rows
            }
        }
    }

    /** Moves to a wider kind; an integer column widens to decimals in place, an empty one starts with its missing rows. */
    private void become(Kind next, int index) {
        if (kind == next) {
            return;
        }
        if (kind == Kind.EMPTY) {
            kind = next;
            for (int r = 0; r < index; r++) {
                missingAt(r);
            }
            return;
        }
        if (kind == Kind.INTEGER && next == Kind.DECIMAL) {
            for (int c = 0; c < longs.size(); c++) {
                long[] chunk = longs.get(c);
                double[] widened = new double[CHUNK];
                for (int k = 0; k < CHUNK; k++) {
                    int r = c * CHUNK + k;
                    widened[k] = r < index && !missing.get(r) ? chunk[k] : Double.NaN;
                }
                doubles.add(widened);
            }
            longs.clear();
            missing.clear();
            kind = Kind.DECIMAL;
        }
    }

    /** Turns the column to text: from empty it just starts; from numbers or booleans it needs the second pass. */
    private void toText(int index) {
        if (kind == Kind.TEXT) {
            return;
        }
        if (kind == Kind.EMPTY) {
            become(Kind.TEXT, index);
            return;
        }
        needsText = true;
        kind = Kind.TEXT;
        longs.clear();
        doubles.clear();
        cells.clear();
        missing.clear();
    }

    private void appendText(int index, String value) {
        if (needsText) {
            return;
        }
        String shared = interned.get(value);
        if (shared == null) {
            shared = value;
            if (interned.size() < INTERNED) {
                interned.put(value, value);
            }
        }
        appendCell(index, shared);
    }

    private void appendCell(int index, Object value) {
        if (kind == Kind.EMPTY) {
            become(Kind.TEXT, index);
        }
        cellChunk(index)[index % CHUNK] = value;
    }

    private long[] longChunk(int index) {
        while (longs.size() <= index / CHUNK) {
            longs.add(new long[CHUNK]);
        }
        return longs.get(index / CHUNK);
    }

    private double[] doubleChunk(int index) {
        while (doubles.size() <= index / CHUNK) {
            doubles.add(new double[CHUNK]);
        }
        return doubles.get(index / CHUNK);
    }

    private Object[] cellChunk(int index) {
        if (needsText) {
            return new Object[CHUNK];
        }
        while (cells.size() <= index / CHUNK) {
            cells.add(new Object[CHUNK]);
        }
        return cells.get(index / CHUNK);
    }

    /** Whether the column turned to text after storing other kinds, so that only a second pass gets its text right. */
    boolean needsText() {
        return needsText;
    }

    /** Problems of its numbers (non-finite, out of range), unless the column is text. */
    List<DataProblem> problems() {
        return kind == Kind.TEXT ? List.of() : numberProblems;
    }

    /** The non-numeric cells of a mostly numeric column (or of a column made numeric), or null. */
    NonNumericCells nonNumeric() {
        if (nonNumbers == 0) {
            return null;
        }
        if (forced == ColumnType.NUMERIC) {
            return new NonNumericCells(nonNumbers, numbers, nonNumberRows, List.copyOf(nonNumberValues), "missing");
        }
        boolean mostlyNumeric = kind == Kind.TEXT && numbers > 0 && nonNumbers <= MOSTLY_NUMERIC * (numbers + nonNumbers);
        return mostlyNumeric ? new NonNumericCells(nonNumbers, numbers, nonNumberRows, List.copyOf(nonNumberValues),
                "categorical") : null;
    }

    /** The column, copied once into arrays of its exact length; the chunks are released. */
    Column build() {
        Column column = switch (kind) {
            case INTEGER -> {
                long[] values = new long[rows];
                for (int c = 0; c < longs.size(); c++) {
                    System.arraycopy(longs.get(c), 0, values, c * CHUNK, Math.min(CHUNK, rows - c * CHUNK));
                }
                yield new Column.Longs(values, (BitSet) missing.clone());
            }
            case DECIMAL -> {
                double[] values = new double[rows];
                for (int c = 0; c < doubles.size(); c++) {
                    System.arraycopy(doubles.get(c), 0, values, c * CHUNK, Math.min(CHUNK, rows - c * CHUNK));
                }
                yield new Column.Doubles(values);
            }
            case EMPTY -> {
                double[] values = new double[rows];
                java.util.Arrays.fill(values, Double.NaN);
                yield new Column.Doubles(values);
            }
            default -> {
                Object[] values = new Object[rows];
                for (int c = 0; c < cells.size(); c++) {
                    System.arraycopy(cells.get(c), 0, values, c * CHUNK, Math.min(CHUNK, rows - c * CHUNK));
                }
                yield new Column.Cells(values);
            }
        };
        longs.clear();
        doubles.clear();
        cells.clear();
        return column;
    }

    /**
     * One column from the builders of consecutive segments of a file, which saw only numbers and empty cells (or
     * the text of a forced categorical column): the column one builder would have built from all of them, since an
     * integer column widens to decimals value by value as it does in place and an empty part is its missing rows.
     * Each part's chunks are released.
     */
    static Column concat(List<ColumnBuilder> parts) {
        int rows = 0;
        boolean decimal = false;
        boolean integer = false;
        boolean text = false;
        for (ColumnBuilder part : parts) {
            rows += part.rows;
            decimal |= part.kind == Kind.DECIMAL;
            integer |= part.kind == Kind.INTEGER;
            text |= part.kind == Kind.TEXT || part.kind == Kind.BOOLEAN || part.needsText;
        }
        Column column;
        if (text) {
            Object[] cells = new Object[rows];
            int offset = 0;
            for (ColumnBuilder part : parts) {
                if (part.kind != Kind.TEXT || part.forced != ColumnType.CATEGORICAL) {
                    throw new IllegalStateException("column '" + part.name + "' holds text in a segment of numbers");
                }
                copy(part.cells, cells, offset, part.rows);
                offset += part.rows;
            }
            column = new Column.Cells(cells);
        } else if (decimal || !integer) {
            double[] values = new double[rows];
            int offset = 0;
            for (ColumnBuilder part : parts) {
                if (part.kind == Kind.DECIMAL) {
                    copy(part.doubles, values, offset, part.rows);
                } else if (part.kind == Kind.INTEGER) {
                    for (int r = 0; r < part.rows; r++) {
                        values[offset + r] = part.missing.get(r) ? Double.NaN : part.longs.get(r / CHUNK)[r % CHUNK];
                    }
                } else {
                    java.util.Arrays.fill(values, offset, offset + part.rows, Double.NaN);
                }
                offset += part.rows;
            }
            column = new Column.Doubles(values);
        } else {
            long[] values = new long[rows];
            BitSet missing = new BitSet(rows);
            int offset = 0;
            for (ColumnBuilder part : parts) {
                if (part.kind == Kind.INTEGER) {
                    copy(part.longs, values, offset, part.rows);
                    for (int r = part.missing.nextSetBit(0); r >= 0; r = part.missing.nextSetBit(r + 1)) {
                        missing.set(offset + r);
                    }
                } else {
                    missing.set(offset, offset + part.rows);
                }
                offset += part.rows;
            }
            column = new Column.Longs(values, missing);
        }
        for (ColumnBuilder part : parts) {
            part.longs.clear();
            part.doubles.clear();
            part.cells.clear();
        }
        return column;
    }

    /** The first {@code rows} values of a list of chunks, into {@code target} from {@code offset}. */
    private static void copy(List<?> chunks, Object target, int offset, int rows) {
        for (int c = 0; c < chunks.size() && c * CHUNK < rows; c++) {
            System.arraycopy(chunks.get(c), 0, target, offset + c * CHUNK, Math.min(CHUNK, rows - c * CHUNK));
        }
    }

    /** Decodes a cell's bytes on demand (strict UTF-8), for the reader to report bad bytes with their row. */
    interface CellText {
        String of(byte[] bytes, int from, int to);
    }
}
