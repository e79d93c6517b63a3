package dev.backprop.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an RFC 4180 CSV into a {@link Table}, streaming bytes straight into primitive column buffers
 * ({@link ColumnBuilder}) and strict: UTF-8 only (a BOM is skipped, malformed bytes are an error), a
 * header of unique non-blank names, every row as long as the header, and limits on rows, columns and
 * field length enforced while reading. The delimiter (comma, semicolon, tab or pipe) is sniffed from the
 * first lines unless named.
 *
 * <p>Cells: empty is missing; a number in plain decimal or exponent notation becomes an integer or a
 * finite double; {@code true}/{@code false} (any case) a boolean; anything else text. {@code NaN} and
 * {@code Infinity} are rejected, as is a number that overflows a double. A column whose cells do not all
 * share one kind keeps the text of every cell, and says so when it is mostly numbers
 * ({@link NonNumericCells}); an uploader's {@link ColumnType} overrides inference.
 *
 * <p>Memory: the values of each column (8 bytes a number) and one buffer; no string per field. The
 * one case that needs more is a column that turns to text after holding numbers: the exact text of those
 * numbers ({@code 1.50}, {@code 007}) is gone, so the source is read a second time with that column as text.
 */
public final class CsvReader {

    private static final int BUFFER = 1 << 16;
    private static final int SNIFF_LINES = 20;

    /**
     * @param maxRows        data rows
     * @param maxColumns     columns
     * @param maxFieldLength characters of one field
     */
    public record Limits(int maxRows, int maxColumns, int maxFieldLength) {
    }

    /**
     * @param delimiter   the field separator, or null to sniff it
     * @param columnTypes column types by column name, overriding inference
     */
    public record Options(Delimiter delimiter, Map<String, ColumnType> columnTypes) {

        public static final Options DEFAULT = new Options(null, Map.of());

        public Options {
            columnTypes = Map.copyOf(columnTypes);
        }
    }

    /** Bytes that can be read more than once (a spooled upload, a request's text). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;

        /** The bytes from {@code offset} on. */
        default InputStream open(long offset) throws IOException {
            InputStream input = open();
            input.skipNBytes(offset);
            return input;
        }

        /** How many bytes there are, or -1 when that is not known (then the source is read in one pass). */
        default long size() throws IOException {
            return -1;
        }

        /** A file, whose segments can be read at once ({@link CsvSegments}). */
        static Source of(java.nio.file.Path file) {
            return new Source() {
                @Override
                public InputStream open() throws IOException {
                    return java.nio.file.Files.newInputStream(file);
                }

                @Override
                public InputStream open(long offset) throws IOException {
                    // a seek: the JDK's file stream would read and drop every byte before the offset to skip it
                    java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file);
                    channel.position(offset);
                    return java.nio.channels.Channels.newInputStream(channel);
                }

                @Override
                public long size() throws IOException {
                    return java.nio.file.Files.size(file);
                }
            };
        }
    }

    /**
     * What a file held.
     *
     * @param delimiter  the delimiter read (named or sniffed)
     * @param nonNumeric per column name, the non-numeric cells of mostly numeric columns and of columns made numeric
     */
    public record Result(Table table, Delimiter delimiter, Map<String, NonNumericCells> nonNumeric) {
    }

    private CsvReader() {
    }

    /**
     * Reads a stream with the default options.
     *
     * @throws DataException naming row and column for the first problems found
     */
    public static Table read(InputStream input, Limits limits) {
        byte[] bytes;
        try {
            bytes = input.readAllBytes();
        } catch (IOException e) {
            // the stream itself failed (a body too large or too slow, a client gone): not a fault of the data
            throw new java.io.UncheckedIOException(e);
        }
        return read(() -> new ByteArrayInputStream(bytes), limits, Options.DEFAULT).table();
    }

    /**
     * Reads a source, once in the common case.
     *
     * @throws DataException naming row and column for the first problems found
     */
    public static Result read(Source source, Limits limits, Options options) {
        return read(source, limits, options, CsvSegments.segmentsFor(source));
    }

    /**
     * Reads a source in up to {@code segments} segments at once when its cells allow ({@link CsvSegments}), else
     * once (twice when a column turns to text after numbers); the result is the same either way.
     */
    static Result read(Source source, Limits limits, Options options, int segments) {
        if (segments > 1) {
            Result result = CsvSegments.read(source, limits, options, segments);
            if (result != null) {
                return result;
            }
        }
        Pass first = new Pass(limits, options, options.delimiter(), Set.of());
        first.run(source);
        Set<Integer> asText = new HashSet<>();
        for (int c = 0; c < first.columns.size(); c++) {
            if (first.columns.get(c).needsText()) {
                asText.add(c);
            }
        }
        Pass last = first;
        if (!asText.isEmpty()) {
            last = new Pass(limits, options, first.delimiter, asText);
            last.run(source);
        }
        Map<String, NonNumericCells> nonNumeric = new LinkedHashMap<>();
        for (int c = 0; c < first.columns.size(); c++) {
            NonNumericCells cells = first.columns.get(c).nonNumeric();
            if (cells != null) {
                nonNumeric.put(first.header.get(c), cells);
            }
        }
        return new Result(last.table(), first.delimiter, nonNumeric);
    }

    /** One reading of the source, or of one segment of it. */
    static final class Pass implements ColumnBuilder.CellText {

        private final Limits limits;
        private final Options options;
        private final Set<Integer> asText;
        private final boolean numbersOnly;
        private final NumberScan scan = new NumberScan();
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final List<DataProblem> problems = new ArrayList<>();
        Delimiter delimiter;
        List<String> header;
        final List<ColumnBuilder> columns = new ArrayList<>();
        private Fields fields;
        long row;
        /** Where the first data row starts, once the header is read. */
        long dataStart;
        /** The column of the cell being read, for the problems its text raises. */
        private int column;
        /** A segment's rows on their way to its columns, or null in a single pass, which reads cell by cell. */
        private final RowBlock block;
        /** The columns a segment reads cell by cell, not through its block: those forced categorical. */
        private final boolean[] cellByCell;
        /** Where a segment of counted records writes its rows ({@link CountedColumns}), or null (its own builders). */
        private final CountedColumns counted;
        /** The segment's first row among the counted columns' rows, and how many records it was counted to hold. */
        private final int firstRow;
        private final long countedRows;
        /** Per column, whether a segment of counted records met a decimal, an integer. */
        final boolean[] sawDecimal;
        final boolean[] sawInteger;

        Pass(Limits limits, Options options, Delimiter delimiter, Set<Integer> asText) {
            this.limits = limits;
            this.options = options;
            this.delimiter = delimiter;
            this.asText = asText;
            this.numbersOnly = false;
            this.block = null;
            this.cellByCell = null;
            this.counted = null;
            this.firstRow = 0;
            this.countedRows = 0;
            this.sawDecimal = null;
            this.sawInteger = null;
        }

        /** A pass over one segment of the rows of {@code headed}'s source, taking numbers and empty cells only. */
        Pass(Pass headed) {
            this(headed, null, 0, 0);
        }

        /**
         * A pass over one segment of {@code headed}'s source, of numbers and empty cells only. With {@code into}, the
         * segment was counted to hold {@code rows} records: it writes them into {@code into} from row {@code firstRow}
         * on, and throws {@link CountedColumns.Miscounted} when the records are not that many (no column may then be
         * forced categorical); without, it reads into builders of its own.
         */
        Pass(Pass headed, CountedColumns into, int firstRow, long rows) {
            this.limits = headed.limits;
            this.options = headed.options;
            this.delimiter = headed.delimiter;
            this.asText = Set.of();
            this.numbersOnly = true;
            this.header = headed.header;
            this.block = new RowBlock(header.size());
            this.cellByCell = new boolean[header.size()];
            this.counted = into;
            this.firstRow = firstRow;
            this.countedRows = rows;
            this.sawDecimal = into == null ? null : new boolean[header.size()];
            this.sawInteger = into == null ? null : new boolean[header.size()];
            for (int c = 0; c < header.size() && into == null; c++) {
                ColumnType type = options.columnTypes().get(header.get(c));
                columns.add(new ColumnBuilder(header.get(c), type, true));
                cellByCell[c] = type == ColumnType.CATEGORICAL;
            }
        }

        /** Starts reading {@code input} at its beginning: byte order mark, delimiter (sniffed unless given), header. */
        private void readHeaderOf(InputStream input) throws IOException {
            fields = new Fields(input, BUFFER);
            fields.skipByteOrderMark();
            if (delimiter == null) {
                delimiter = fields.sniff(SNIFF_LINES);
            }
            fields.delimiter = (byte) delimiter.character();
            readHeader();
        }

        /** Reads the header only, and where the rows start. */
        void readHead(Source source) throws IOException {
            try (InputStream input = source.open()) {
                readHeaderOf(input);
                dataStart = fields.offset();
            }
        }

        /**
         * Reads the rows in bytes {@code [from, to)}, which start at a line. Any problem, a cell that is no number,
         * a ragged row or a quoted field still open at {@code to} (the segment did not end at a record) throws;
         * so does {@code abandoned} once set, when another segment failed.
         */
        void readSegment(Source source, long from, long to, java.util.concurrent.atomic.AtomicBoolean abandoned) throws IOException {
            try (InputStream input = source.open(from)) {
                fields = new Fields(input, BUFFER, to - from);
                fields.delimiter = (byte) delimiter.character();
                int width = header.size();
                // a short cell is no longer than any field limit worth setting; below that every field is checked
                Fields.ShortCells shortCells = limits.maxFieldLength() >= Fields.SHORT_CELL_BYTES ? this::shortCell : null;
                while (!abandoned.get()) {
                    row++;
                    int count = fields.record(this::cell, shortCells);
                    if (count < 0) {
                        row--;
                        break;
                    }
                    if (count != width || !problems.isEmpty() || row > limits.maxRows()) {
                        throw new ColumnBuilder.NotNumeric();
                    }
                    if (block.endRow()) {
                        flushBlock();
                    }
                }
            }
            flushBlock();
            if (counted != null && row != countedRows) {
                throw new CountedColumns.Miscounted();
            }
            for (ColumnBuilder built : columns) {
                if (!built.problems().isEmpty()) {
                    throw new ColumnBuilder.NotNumeric();
                }
            }
        }

        /** Hands a segment's block of rows to its columns: its own builders, or the counted columns at its rows. */
        private void flushBlock() {
            if (counted == null) {
                block.flush(columns, cellByCell);
                return;
            }
            if (row > countedRows) {
                throw new CountedColumns.Miscounted();  // before a row lands in the next segment's place
            }
            if (block.rows() > 0) {
                block.flush(counted, firstRow + (int) row - block.rows(), sawDecimal, sawInteger);
            }
        }

        void run(Source source) {
            try (InputStream input = source.open()) {
                readHeaderOf(input);
                readRows();
            } catch (CharacterCodingException e) {
                throw new DataException("row " + Math.max(row, 1), "is not valid UTF-8");
            } catch (Fields.MalformedException e) {
                throw new DataException("row " + Math.max(row, 1), "malformed CSV: " + e.getMessage());
            } catch (IOException e) {
                // the stream itself failed (a body too large or too slow, a client gone): not a fault of the data
                throw new java.io.UncheckedIOException(e);
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof CharacterCodingException) {
                    throw new DataException("row " + Math.max(row, 1), "is not valid UTF-8");
                }
                throw e;
            }
        }

        private void readHeader() throws IOException {
            List<String> names = new ArrayList<>();
            int count = fields.record((index, bytes, from, to) -> names.add(decode(bytes, from, to)));
            if (count < 0) {
                throw new DataException("csv", "is empty; it needs a header row naming the columns");
            }
            if (names.size() > limits.maxColumns()) {
                throw new DataException("header", names.size() + " columns; the limit is " + limits.maxColumns());
            }
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < names.size(); c++) {
                String name = names.get(c).strip();
                if (name.isEmpty()) {
                    problems.add(new DataProblem("header column " + (c + 1), "is blank; every column needs a name"));
                } else if (name.indexOf('\0') >= 0) {
                    problems.add(new DataProblem("header column " + (c + 1), Table.NUL));
                } else if (!seen.add(name)) {
                    problems.add(new DataProblem("header column " + (c + 1), "duplicate column name '" + name + "'"));
                } else if (name.length() > limits.maxFieldLength()) {
                    problems.add(new DataProblem("header column " + (c + 1), "name longer than " + limits.maxFieldLength()));
                }
                names.set(c, name);
            }
            if (!problems.isEmpty()) {
                throw new DataException(problems);
            }
            header = names;
            for (int c = 0; c < names.size(); c++) {
                ColumnType type = asText.contains(c) ? ColumnType.CATEGORICAL : options.columnTypes().get(names.get(c));
                columns.add(new ColumnBuilder(names.get(c), type));
            }
        }

        private void readRows() throws IOException {
            int width = header.size();
            while (problems.size() < DataException.MAX_PROBLEMS) {
                long line = fields.line();
                row++;
                int count = fields.record(this::cell);
                if (count < 0) {
                    row--;
                    break;
                }
                if (row > limits.maxRows()) {
                    throw new DataException("csv", "more than " + limits.maxRows() + " rows; the limit is " + limits.maxRows());
                }
                if (count != width) {
                    problems.add(new DataProblem("row " + row, "has " + count + " fields, expected " + width + " (line " + line + ")"));
                }
            }
            if (!problems.isEmpty()) {
                throw new DataException(problems);
            }
            if (row == 0) {
                throw new DataException("csv", "has a header but no data rows");
            }
            for (ColumnBuilder column : columns) {
                for (DataProblem problem : column.problems()) {
                    if (problems.size() < DataException.MAX_PROBLEMS) {
                        problems.add(problem);
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new DataException(problems);
            }
        }

        private void cell(int index, byte[] bytes, int from, int to) {
            if (index >= header.size()) {
                return;  // a ragged row: reported once the record ends
            }
            column = index;
            int length = to - from;
            if (length > limits.maxFieldLength() && of(bytes, from, to).length() > limits.maxFieldLength()) {
                problems.add(new DataProblem("row " + row + ", column '" + header.get(index) + "'", "field of "
                        + of(bytes, from, to).length() + " characters; the limit is " + limits.maxFieldLength()));
                return;
            }
            if (block != null && !cellByCell[index]) {
                block.cell(index, bytes, from, to, scan);
            } else {
                columns.get(index).add(bytes, from, to, this, scan, row);
            }
        }

        /** A segment's cell read where it lies, when it is a short number ({@link NumberScan#shortCell}); else -1. */
        private int shortCell(int index, byte[] bytes, int from) {
            if (index >= header.size() || cellByCell[index]) {
                return -1;
            }
            int end = scan.shortCell(bytes, from, fields.delimiter);
            if (end >= 0) {
                block.shortCell(index, scan);
            }
            return end;
        }

        /** A cell's text, strictly decoded; NUL is a problem of its row and column. */
        @Override
        public String of(byte[] bytes, int from, int to) {
            String text = decode(bytes, from, to);
            if (text.indexOf('\0') >= 0 && problems.size() < DataException.MAX_PROBLEMS) {
                problems.add(new DataProblem("row " + row + ", column '" + header.get(column) + "'", Table.NUL));
            }
            return text;
        }

        private String decode(byte[] bytes, int from, int to) {
            boolean ascii = true;
            for (int i = from; i < to && ascii; i++) {
                ascii = bytes[i] >= 0;
            }
            if (ascii) {
                return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
            }
            try {
                return decoder.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Table table() {
            List<Column> built = new ArrayList<>(columns.size());
            for (ColumnBuilder column : columns) {
                built.add(column.build());
            }
            return Table.ofColumns(header, built);
        }
    }
}
