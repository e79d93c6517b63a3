package dev.backprop.data;

/**
 * The numbers of a few consecutive rows of a file of numbers, row by row as they are read, before they go into
 * their columns ({@link ColumnBuilder#addBlock}) one column at a time.
 *
 * <p>Why: written straight into its column, each cell of T4's 785-column rows touched its own column's builder, chunk
 * list and chunk, four cache lines a cell, and those writes were the top frame of the upload's profile
 * ({@code ColumnBuilder.doubleChunk}). Here a cell is one byte and one long appended to two small arrays that stay in
 * the core's cache, and each column's builder is visited once per {@link #ROWS} rows.
 */
final class RowBlock {

    /** Rows a block holds: 32 rows of 785 columns are 200 KB, within a core's L2 cache. */
    static final int ROWS = 32;

    private final int width;
    /** Per cell, row by row: {@link NumberScan#NONE} for an empty cell, else the kind of its number. */
    final byte[] kinds;
    /** Per cell: an integer's value, or a decimal's bits ({@link Double#doubleToRawLongBits}). */
    final long[] values;
    private int rows;

    RowBlock(int width) {
        this.width = width;
        this.kinds = new byte[ROWS * width];
        this.values = new long[ROWS * width];
    }

    int width() {
        return width;
    }

    /** Complete rows held. */
    int rows() {
        return rows;
    }

    /**
     * Takes the cell of column {@code column} of the row being read, bytes {@code [from, to)}: blanks around it are
     * dropped as {@link ColumnBuilder#add} drops them.
     *
     * @throws ColumnBuilder.NotNumeric for a cell that is no number, or a number beyond a double's range (a problem
     *                                  that the one-pass reader reports with its row)
     */
    void cell(int column, byte[] bytes, int from, int to, NumberScan scan) {
        int start = ColumnBuilder.trimmedStart(bytes, from, to);
        int end = ColumnBuilder.trimmedEnd(bytes, start, to);
        int at = rows * width + column;
        if (start == end) {
            kinds[at] = NumberScan.NONE;
            return;
        }
        int number = scan.scan(bytes, start, end);
        if (number == NumberScan.INTEGER) {
            values[at] = scan.longValue;
        } else if (number == NumberScan.DECIMAL && Double.isFinite(scan.doubleValue)) {
            values[at] = Double.doubleToRawLongBits(scan.doubleValue);
        } else {
            throw new ColumnBuilder.NotNumeric();
        }
        kinds[at] = (byte) number;
    }

    /** Takes the number {@code scan} read last ({@link NumberScan#shortCell}) as the cell of column {@code column}. */
    void shortCell(int column, NumberScan scan) {
        int at = rows * width + column;
        int number = scan.kind;
        kinds[at] = (byte) number;
        values[at] = number == NumberScan.INTEGER ? scan.longValue : Double.doubleToRawLongBits(scan.doubleValue);
    }

    /** Ends the row being read; true when the block is full. */
    boolean endRow() {
        return ++rows == ROWS;
    }

    /**
     * Writes the complete rows into their columns' arrays from row {@code firstRow} on and empties the block, noting
     * per column whether a decimal or an integer was among them.
     */
    void flush(CountedColumns columns, int firstRow, boolean[] sawDecimal, boolean[] sawInteger) {
        for (int c = 0; c < width; c++) {
            double[] out = columns.values(c);
            boolean decimal = false;
            boolean integer = false;
            for (int r = 0, i = c; r < rows; r++, i += width) {
                byte number = kinds[i];
                decimal |= number == NumberScan.DECIMAL;
                integer |= number == NumberScan.INTEGER;
                out[firstRow + r] = number == NumberScan.DECIMAL ? Double.longBitsToDouble(values[i])
                        : number == NumberScan.INTEGER ? (double) values[i] : Double.NaN;
            }
            if (integer) {
                long[] exact = columns.integers(c);
                if (exact != null) {
                    for (int r = 0, i = c; r < rows; r++, i += width) {
                        if (kinds[i] == NumberScan.INTEGER) {
                            exact[firstRow + r] = values[i];
                        }
                    }
                }
            }
            sawDecimal[c] |= decimal;
            sawInteger[c] |= integer;
        }
        rows = 0;
    }

    /** Hands the complete rows to their columns (all but those read cell by cell) and empties the block. */
    void flush(java.util.List<ColumnBuilder> columns, boolean[] cellByCell) {
        if (rows == 0) {
            return;
        }
        for (int c = 0; c < width; c++) {
            if (!cellByCell[c]) {
                columns.get(c).addBlock(this, c);
            }
        }
        rows = 0;
    }
}
