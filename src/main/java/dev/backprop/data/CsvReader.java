package dev.backprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an RFC 4180 CSV (commons-csv) into a {@link Table}, streaming and strict: UTF-8 only (a BOM
 * is skipped, malformed bytes are an error), a header of unique non-blank names, every row as long
 * as the header, and limits on rows, columns and field length enforced while reading.
 *
 * <p>Cells: empty is missing ({@code null}); a number in plain decimal or exponent notation becomes a
 * {@link Long} or finite {@link Double}; {@code true}/{@code false} (any case) a {@link Boolean};
 * anything else a string. {@code NaN} and {@code Infinity} are rejected, as is a number that
 * overflows a double. A column whose cells do not all share one kind keeps the text of every cell.
 */
public final class CsvReader {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");

    /**
     * @param maxRows        data rows
     * @param maxColumns     columns
     * @param maxFieldLength characters of one field
     */
    public record Limits(int maxRows, int maxColumns, int maxFieldLength) {
    }

    private CsvReader() {
    }

    /**
     * @throws DataException naming row and column for the first problems found
     */
    public static Table read(InputStream input, Limits limits) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<DataProblem> problems = new ArrayList<>();
        List<String> header = null;
        List<List<String>> raw = new ArrayList<>();
        long row = 0;
        try {
            skipByteOrderMark(reader);
            try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSVFormat.RFC4180).get()) {
                for (CSVRecord record : parser) {
                    if (header == null) {
                        header = header(record, limits, problems);
                        if (!problems.isEmpty()) {
                            throw new DataException(problems);
                        }
                        continue;
                    }
                    row++;
                    if (row > limits.maxRows()) {
                        throw new DataException("csv", "more than " + limits.maxRows() + " rows; the limit is " + limits.maxRows());
                    }
                    if (record.size() != header.size()) {
                        problems.add(new DataProblem("row " + row, "has " + record.size() + " fields, expected " + header.size()
                                + " (line " + parser.getCurrentLineNumber() + ")"));
                    } else {
                        List<String> values = new ArrayList<>(record.size());
                        for (int c = 0; c < record.size(); c++) {
                            String value = record.get(c);
                            if (value.length() > limits.maxFieldLength()) {
                                problems.add(new DataProblem("row " + row + ", column '" + header.get(c) + "'",
                                        "field of " + value.length() + " characters; the limit is " + limits.maxFieldLength()));
                            }
                            if (value.indexOf('\0') >= 0) {
                                problems.add(new DataProblem("row " + row + ", column '" + header.get(c) + "'", Table.NUL));
                            }
                            values.add(value);
                        }
                        raw.add(values);
                    }
                    if (problems.size() >= DataException.MAX_PROBLEMS) {
                        break;
                    }
                }
            } catch (UncheckedIOException e) {
                throw describe(e.getCause(), row);
            } catch (IllegalStateException e) {
                throw new DataException("row " + (row + 1), "malformed CSV: " + e.getMessage());
            }
        } catch (IOException e) {
            throw describe(e, row);
        }
        if (header == null) {
            throw new DataException("csv", "is empty; it needs a header row naming the columns");
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        if (raw.isEmpty()) {
            throw new DataException("csv", "has a header but no data rows");
        }
        return new Table(header, typed(header, raw));
    }

    private static RuntimeException describe(IOException e, long row) {
        if (e instanceof CharacterCodingException) {
            return new DataException("row " + (row + 1), "is not valid UTF-8");
        }
        if (e instanceof org.apache.commons.csv.CSVException) {
            return new DataException("row " + (row + 1), "could not be read: " + e.getMessage());
        }
        // the stream itself failed (a body too large or too slow, a client gone): not a fault of the data
        return new UncheckedIOException(e);
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private static List<String> header(CSVRecord record, Limits limits, List<DataProblem> problems) {
        if (record.size() > limits.maxColumns()) {
            problems.add(new DataProblem("header", record.size() + " columns; the limit is " + limits.maxColumns()));
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < record.size(); c++) {
            String name = record.get(c).strip();
            if (name.isEmpty()) {
                problems.add(new DataProblem("header column " + (c + 1), "is blank; every column needs a name"));
            } else if (name.indexOf('\0') >= 0) {
                problems.add(new DataProblem("header column " + (c + 1), Table.NUL));
            } else if (!seen.add(name)) {
                problems.add(new DataProblem("header column " + (c + 1), "duplicate column name '" + name + "'"));
            } else if (name.length() > limits.maxFieldLength()) {
                problems.add(new DataProblem("header column " + (c + 1), "name longer than " + limits.maxFieldLength()));
            }
            names.add(name);
        }
        return names;
    }

    /** Types every column: numbers, booleans, or (for a mix) the text of every cell. */
    private static List<List<Object>> typed(List<String> header, List<List<String>> raw) {
        int columns = header.size();
        List<DataProblem> problems = new ArrayList<>();
        Kind[] kinds = new Kind[columns];
        for (int c = 0; c < columns; c++) {
            kinds[c] = Kind.EMPTY;
            for (List<String> values : raw) {
                kinds[c] = kinds[c].merge(kindOf(values.get(c)));
            }
        }
        List<List<Object>> rows = new ArrayList<>(raw.size());
        for (int r = 0; r < raw.size(); r++) {
            List<Object> cells = new ArrayList<>(columns);
            for (int c = 0; c < columns; c++) {
                String value = raw.get(r).get(c);
                Kind kind = kindOf(value);
                if (kind == Kind.NON_FINITE && kinds[c] != Kind.TEXT && problems.size() < DataException.MAX_PROBLEMS) {
                    problems.add(new DataProblem("row " + (r + 1) + ", column '" + header.get(c) + "'",
                            "non-finite number '" + value + "'; leave the field empty for a missing value"));
                }
                cells.add(value.isEmpty() ? null : switch (kinds[c]) {
                    case NUMBER -> number(value, r, header.get(c), problems);
                    case BOOLEAN -> Boolean.parseBoolean(value.strip().toLowerCase(Locale.ROOT));
                    default -> value;
                });
            }
            rows.add(cells);
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return rows;
    }

    private static Object number(String value, int row, String column, List<DataProblem> problems) {
        String text = value.strip();
        if (INTEGER.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        double parsed = Double.parseDouble(text);
        if (!Double.isFinite(parsed) && problems.size() < DataException.MAX_PROBLEMS) {
            problems.add(new DataProblem("row " + (row + 1) + ", column '" + column + "'", "number out of range: " + value));
        }
        return parsed;
    }

    private enum Kind {
        EMPTY, NUMBER, BOOLEAN, TEXT, NON_FINITE;

        Kind merge(Kind other) {
            if (this == other || other == EMPTY) {
                return this;
            }
            if (this == EMPTY) {
                return other;
            }
            if (this == NON_FINITE || other == NON_FINITE) {
                return this == NON_FINITE ? other : this;
            }
            return TEXT;
        }
    }

    private static Kind kindOf(String value) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Kind.EMPTY;
        }
        if (NUMBER.matcher(text).matches()) {
            return Kind.NUMBER;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (NON_FINITE.contains(lower)) {
            return Kind.NON_FINITE;
        }
        if (lower.equals("true") || lower.equals("false")) {
            return Kind.BOOLEAN;
        }
        return Kind.TEXT;
    }
}
