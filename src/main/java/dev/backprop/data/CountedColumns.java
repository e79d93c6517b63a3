package dev.backprop.data;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The columns of a file of numbers whose records were counted before they were read ({@link CsvSegments}): one array
 * of the file's exact length a column, which every segment fills in place from its first row on, at once.
 *
 * <p>Why: read into chunks of their own, T4's 440 MB of columns were held twice at the end of the read (the chunks
 * and the columns they were copied into) in a 1 GB heap, and G1 copied the surviving chunks and then the columns
 * again. The profile of one upload had 2.6 CPU-seconds of the kernel zeroing fresh heap pages, ~2 more of G1's
 * copying and a full collection. Here each cell is written once, where it stays.
 *
 * <p>Each column is held as doubles (NaN for an empty cell), an integer as {@code (double) value}, which is how
 * a column of integers widens when a decimal follows ({@link ColumnBuilder#concat}); the integers themselves are
 * kept beside them, in an array made for the first segment that meets one, so that a column of integers only still
 * becomes a {@link Column.Longs} of its exact values.
 */
final class CountedColumns {

    /**
     * A segment held more or fewer records than its line feeds said (a record ended by a lone CR): its rows would not
     * land where they belong, so the file is read into chunks instead. No stack trace: it ends a way of reading.
     */
    static final class Miscounted extends RuntimeException {
        Miscounted() {
            this("a segment's records are not its line feeds");
        }

        Miscounted(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The most these columns may hold at once: half the heap. A column of integers holds 16 bytes a cell here (its
     * doubles and its exact longs, both of the file's length), so a file of 70,000 × 785 small integers (196 MB) would
     * need 880 MB in a 1 GB heap; past this budget the file is read in chunks instead, which hold less at once.
     */
    static long defaultBudgetBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    private final double[][] values;
    private final AtomicReferenceArray<long[]> integers;
    private final boolean[] forcedNumeric;
    private final int rows;
    private final long budgetBytes;
    private final AtomicLong heldBytes;

    /** @param forcedNumeric per column, whether the uploader made it numeric (its integers are then decimals) */
    CountedColumns(int rows, boolean[] forcedNumeric) {
        this(rows, forcedNumeric, defaultBudgetBytes());
    }

    /**
     * @param budgetBytes the most the columns may hold; over it (at once for the doubles, or when a column's integers
     *                    are made) a {@link Miscounted} sends the file to the chunked read
     */
    CountedColumns(int rows, boolean[] forcedNumeric, long budgetBytes) {
        long doubles = (long) rows * forcedNumeric.length * Double.BYTES;
        if (doubles > budgetBytes) {
            throw new Miscounted("the columns would not fit in the budget");
        }
        this.rows = rows;
        this.forcedNumeric = forcedNumeric;
        this.budgetBytes = budgetBytes;
        this.heldBytes = new AtomicLong(doubles);
        this.values = new double[forcedNumeric.length][rows];
        this.integers = new AtomicReferenceArray<>(forcedNumeric.length);
    }

    int rows() {
        return rows;
    }

    /** Column {@code column}'s doubles, for a segment to write its rows into. */
    double[] values(int column) {
        return values[column];
    }

    /** Column {@code column}'s exact integers, made on first use by whichever segment needs them first; null when forced numeric. */
    long[] integers(int column) {
        if (forcedNumeric[column]) {
            return null;
        }
        long[] held = integers.get(column);
        if (held == null) {
            if (heldBytes.addAndGet((long) rows * Long.BYTES) > budgetBytes) {
                throw new Miscounted("the columns' integers would not fit in the budget");
            }
            if (!integers.compareAndSet(column, null, new long[rows])) {
                heldBytes.addAndGet(-(long) rows * Long.BYTES);  // another segment made them first
            }
            held = integers.get(column);
        }
        return held;
    }

    /**
     * Column {@code column} as one pass would have built it, given what the segments saw in it: decimals (or a forced
     * numeric column) are doubles, integers alone are integers with the empty cells missing, and a column of empty
     * cells only is doubles of NaN.
     */
    Column column(int column, boolean sawDecimal, boolean sawInteger) {
        double[] doubles = values[column];
        if (sawDecimal || !sawInteger || forcedNumeric[column]) {
            return new Column.Doubles(doubles);
        }
        BitSet missing = new BitSet(rows);
        for (int r = 0; r < rows; r++) {
            if (Double.isNaN(doubles[r])) {
                missing.set(r);
            }
        }
        return new Column.Longs(integers.get(column), missing);
    }
}
