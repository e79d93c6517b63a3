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
 * <p>Memory: the segments' column chunks together hold what one pass's would, plus at most one partly filled
 * chunk a column a segment; the columns are assembled one at a time, each releasing its chunks.
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
