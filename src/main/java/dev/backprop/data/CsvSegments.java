package dev.backprop.data;

import dev.backprop.nn.ParallelBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the rows of a large CSV in a few segments at once, one per core ({@link ParallelBlocks}), when every
 * cell is a number or empty (or in a column forced categorical): the one-pass reader takes 7.4 s of one core for
 * T4's 412 MB, most of the upload.
 *
 * <p>The segments are cut after a line feed, without knowing whether that line feed lies inside a quoted field.
 * The cut is checked instead of guessed: the first segment starts right after the header, and a segment that starts
 * at a record ends cleanly at its cut only if the cut is a record's end too (a quoted field still open there is a
 * malformed field to it). So when every segment reads to its end without a problem, every cut was a record's end and
 * the rows are the rows of a single pass. Anything else (a cell that is no number, any problem, a cut inside a quoted
 * field) and the caller reads the file in one pass, which finds the same problems with the same rows and messages.
 *
 * <p>Memory: the segments' records are counted first (their line feeds), so that each segment writes its rows
 * straight into columns of the file's length ({@link CountedColumns}), each cell once. A record ended by a lone CR
 * spoils the count; the segments then read into chunks of their own, which together hold what one pass's would, and
 * the columns are assembled one at a time, each releasing its chunks. So does a column forced categorical, whose
 * cells are text.
 */
final class CsvSegments {

    /** Below this a file is read in one pass: a segment's fixed costs (a chunk per column) would not pay off. */
    static final long MIN_SEGMENT_BYTES = 8L << 20;
    private static final int SCAN_BUFFER = 1 << 16;

    private CsvSegments() {
    }

    /** How many segments to read a source in: one per core, each of at least {@link #MIN_SEGMENT_BYTES}. */
    static int segmentsFor(CsvReader.Source source) {
        try {
            long size = source.size();
            return size < 0 ? 1 : (int) Math.max(1, Math.min(ParallelBlocks.threads(), size / MIN_SEGMENT_BYTES));
        } catch (IOException e) {
            return 1;
        }
    }

    /** The file's table read in up to {@code segments} segments at once, or null when it must be read in one pass. */
    static CsvReader.Result read(CsvReader.Source source, CsvReader.Limits limits, CsvReader.Options options, int segments) {
        CsvReader.Pass head = new CsvReader.Pass(limits, options, options.delimiter(), java.util.Set.of());
        long[] cuts;
        try {
            long size = source.size();
            if (size < 0) {
                return null;
            }
            head.readHead(source);
            cuts = cuts(source, head.dataStart, size, segments);
        } catch (IOException | RuntimeException e) {
            return null;  // the single pass meets the same problem and says it as it always has
        }
        int count = cuts.length - 1;
        if (count < 2) {
            return null;
        }
        boolean[] forcedNumeric = new boolean[head.header.size()];
        boolean categorical = false;
        for (int c = 0; c < forcedNumeric.length; c++) {
            ColumnType type = options.columnTypes().get(head.header.get(c));
            forcedNumeric[c] = type == ColumnType.NUMERIC;
            categorical |= type == ColumnType.CATEGORICAL;
        }
        if (!categorical) {
            try {
                return readCounted(source, limits, head, cuts, forcedNumeric);
            } catch (CountedColumns.Miscounted e) {
                // a record ended by a lone CR, or columns over the memory budget: the chunked read below needs neither
            }
        }
        return readChunked(source, limits, head, cuts);
    }

    /**
     * The rows of every segment written straight into columns of the file's length ({@link CountedColumns}): the
     * segments' records are counted first (their line feeds, at once), then read at once, each into its own rows.
     *
     * @return the table, or null when it must be read in one pass
     * @throws CountedColumns.Miscounted when a segment's records were not its line feeds, or the columns would hold more
     *                                    than their budget (half the heap)
     */
    private static CsvReader.Result readCounted(CsvReader.Source source, CsvReader.Limits limits, CsvReader.Pass head,
                                                long[] cuts, boolean[] forcedNumeric) {
        int count = cuts.length - 1;
        if (!firstRecordIsNumbers(source, head, cuts[0], cuts[cuts.length - 1], forcedNumeric)) {
            return null;  // a file with text columns shows them in its first row: no columns of its length are made for it
        }
        long[] records = new long[count];
        AtomicBoolean unreadable = new AtomicBoolean();
        ParallelBlocks.forEachTask(count, k -> {
            try {
                records[k] = lineFeeds(source, cuts[k], cuts[k + 1]);
            } catch (IOException | RuntimeException e) {
                unreadable.set(true);
            }
        });
        long rows = java.util.Arrays.stream(records).sum();
        if (unreadable.get() || rows == 0 || rows > limits.maxRows()) {
            return null;
        }
        int[] firstRows = new int[count];
        for (int k = 1; k < count; k++) {
            firstRows[k] = firstRows[k - 1] + (int) records[k - 1];
        }
        CountedColumns into = new CountedColumns((int) rows, forcedNumeric);
        CsvReader.Pass[] parts = new CsvReader.Pass[count];
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicBoolean miscounted = new AtomicBoolean();
        ParallelBlocks.forEachTask(count, k -> {
            boolean read = false;
            try {
                CsvReader.Pass part = new CsvReader.Pass(head, into, firstRows[k], records[k]);
                part.readSegment(source, cuts[k], cuts[k + 1], abandoned);
                parts[k] = part;
                read = !abandoned.get();
            } catch (CountedColumns.Miscounted e) {
                miscounted.set(true);
            } catch (IOException | RuntimeException e) {
                // a cell that is no number, a problem or a cut inside a quoted field: the single pass reads it
            } finally {
                if (!read) {
                    abandoned.set(true);
                }
            }
        });
        if (miscounted.get()) {
            throw new CountedColumns.Miscounted();
        }
        if (abandoned.get()) {
            return null;
        }
        List<Column> columns = new ArrayList<>(head.header.size());
        for (int c = 0; c < head.header.size(); c++) {
            boolean decimal = false;
            boolean integer = false;
            for (CsvReader.Pass part : parts) {
                decimal |= part.sawDecimal[c];
                integer |= part.sawInteger[c];
            }
            columns.add(into.column(c, decimal, integer));
        }
        return new CsvReader.Result(Table.ofColumns(head.header, columns), head.delimiter, Map.of());
    }

    /** Whether the first record (up to the first line feed) is numbers and empty cells only, or may be (a lone CR in it). */
    private static boolean firstRecordIsNumbers(CsvReader.Source source, CsvReader.Pass head, long from, long size,
                                                boolean[] forcedNumeric) {
        try {
            long end = lineAfter(source, from, size);
            new CsvReader.Pass(head, new CountedColumns(1, forcedNumeric), 0, 1).readSegment(source, from, end, new AtomicBoolean());
            return true;
        } catch (CountedColumns.Miscounted e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The rows of each segment read into chunks of their own, then each column's chunks copied into one array. */
    private static CsvReader.Result readChunked(CsvReader.Source source, CsvReader.Limits limits, CsvReader.Pass head,
                                                long[] cuts) {
        int count = cuts.length - 1;
        CsvReader.Pass[] parts = new CsvReader.Pass[count];
        AtomicBoolean abandoned = new AtomicBoolean();
        ParallelBlocks.forEachTask(count, k -> {
            boolean read = false;
            try {
                CsvReader.Pass part = new CsvReader.Pass(head);
                part.readSegment(source, cuts[k], cuts[k + 1], abandoned);
                parts[k] = part;
                read = !abandoned.get();
            } catch (IOException | RuntimeException e) {
                // a cell that is no number, a problem or a cut inside a quoted field: the single pass reads it
            } finally {
                if (!read) {
                    abandoned.set(true);
                }
            }
        });
        long rows = 0;
        for (CsvReader.Pass part : parts) {
            rows += part == null ? 0 : part.row;
        }
        if (abandoned.get() || rows == 0 || rows > limits.maxRows()) {
            return null;
        }
        List<Column> columns = new ArrayList<>(head.header.size());
        for (int c = 0; c < head.header.size(); c++) {
            List<ColumnBuilder> column = new ArrayList<>(count);
            for (CsvReader.Pass part : parts) {
                column.add(part.columns.get(c));
            }
            columns.add(ColumnBuilder.concat(column));
        }
        return new CsvReader.Result(Table.ofColumns(head.header, columns), head.delimiter, Map.of());
    }

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long LINE_FEEDS = ONES * '\n';
    private static final long LOW_SEVEN_BITS = ONES * 0x7F;
    private static final java.lang.invoke.VarHandle EIGHT_BYTES =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * The records bytes {@code [from, to)} hold if each ends at a line feed (a CRLF holds one): their line feeds, and
     * one more when the last byte is none (a file without a final line end). Eight bytes at a time: a byte of
     * {@code word ^ LINE_FEEDS} is zero exactly where a line feed was, and {@code ((x & 0x7F) + 0x7F) | x} sets a
     * byte's top bit exactly when the byte is not zero, without carries between bytes.
     */
    static long lineFeeds(CsvReader.Source source, long from, long to) throws IOException {
        long feeds = 0;
        byte last = '\n';
        try (InputStream input = source.open(from)) {
            byte[] buffer = new byte[SCAN_BUFFER];
            for (long position = from; position < to; ) {
                int read = input.read(buffer, 0, (int) Math.min(buffer.length, to - position));
                if (read < 0) {
                    throw new java.io.EOFException("the file ended " + (to - position) + " bytes early");
                }
                int i = 0;
                for (; i + Long.BYTES <= read; i += Long.BYTES) {
                    long x = (long) EIGHT_BYTES.get(buffer, i) ^ LINE_FEEDS;
                    long notZero = ((x & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | x;
                    feeds += Long.bitCount(~notZero & (ONES << 7));
                }
                for (; i < read; i++) {
                    feeds += buffer[i] == '\n' ? 1 : 0;
                }
                if (read > 0) {
                    last = buffer[read - 1];
                }
                position += read;
            }
        }
        return last == '\n' || to == from ? feeds : feeds + 1;
    }

    /** Offsets from {@code from} to {@code size}: the start, each cut just after a line feed, and the end. */
    private static long[] cuts(CsvReader.Source source, long from, long size, int segments) throws IOException {
        List<Long> cuts = new ArrayList<>();
        cuts.add(from);
        for (int k = 1; k < segments; k++) {
            long nominal = from + (size - from) * k / segments;
            if (nominal <= cuts.get(cuts.size() - 1)) {
                continue;
            }
            long cut = lineAfter(source, nominal, size);
            if (cut > cuts.get(cuts.size() - 1) && cut < size) {
                cuts.add(cut);
            }
        }
        cuts.add(size);
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The offset just after the first line feed at or after {@code offset}, or {@code size} when there is none. */
    private static long lineAfter(CsvReader.Source source, long offset, long size) throws IOException {
        try (InputStream input = source.open(offset)) {
            byte[] buffer = new byte[SCAN_BUFFER];
            long position = offset;
            for (int read; position < size && (read = input.read(buffer)) >= 0; position += read) {
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        return position + i + 1;
                    }
                }
            }
            return size;
        }
    }
}
