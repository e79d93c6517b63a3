package dev.backprop.dataset;

import dev.backprop.data.Table;
import dev.backprop.platform.PackedArrays;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A data set's rows as stored: one primitive array per column where the column allows it, in one
 * binary value (the {@code dataset.column_data} column).
 *
 * <p>A column whose cells are all finite doubles (or null) is stored as float64 values with NaN for
 * null — NaN is free, since cells are finite; a column of integral numbers as int64 values plus a
 * bitmap of nulls, so that integers beyond 2⁵³ and the difference between {@code 1} and {@code 1.0}
 * (which decides how class labels read back) survive; any other column (strings, booleans, mixed
 * kinds) as the JSON of its cells. Reading the T4 data set back is then a copy per column instead of
 * parsing 55 million decimal numbers.
 *
 * <p>Layout (big-endian): the magic {@code BPT1}, the row count, the column count, then per column its
 * name (a two-byte length and UTF-8), a type byte and the payload: {@code rows}
 * float64 values; or {@code rows} int64 values, a bitmap length and the bitmap; or a length and the
 * UTF-8 JSON array of cells.
 */
final class TableCodec {

    private static final int MAGIC = 0x42505431; // "BPT1"
    private static final byte DOUBLES = 0;
    private static final byte LONGS = 1;
    private static final byte CELLS = 2;

    private TableCodec() {
    }

    /** One column ready to write: its type and exactly one payload. */
    private record EncodedColumn(byte[] name, byte type, double[] doubles, long[] longs, byte[] nulls, byte[] json) {

        int size(int rows) {
            int payload = switch (type) {
                case DOUBLES -> rows * Double.BYTES;
                case LONGS -> rows * Long.BYTES + Integer.BYTES + nulls.length;
                default -> Integer.BYTES + json.length;
            };
            return Short.BYTES + name.length + 1 + payload;
        }
    }

    static byte[] encode(Table table, JsonMapper json) {
        int rows = table.rowCount();
        List<EncodedColumn> columns = new ArrayList<>();
        long size = 3L * Integer.BYTES;
        for (int c = 0; c < table.columns().size(); c++) {
            EncodedColumn column = encodeColumn(table.columns().get(c), table.rows(), c, rows, json);
            columns.add(column);
            size += column.size(rows);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the data set takes " + size + " bytes; the limit is 2 GB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.putInt(MAGIC).putInt(rows).putInt(columns.size());
        for (EncodedColumn column : columns) {
            out.putShort((short) column.name().length).put(column.name()).put(column.type());
            switch (column.type()) {
                case DOUBLES -> PackedArrays.putDoubles(out, column.doubles());
                case LONGS -> {
                    PackedArrays.putLongs(out, column.longs());
                    out.putInt(column.nulls().length).put(column.nulls());
                }
                default -> out.putInt(column.json().length).put(column.json());
            }
        }
        return out.array();
    }

    private static EncodedColumn encodeColumn(String name, List<List<Object>> rows, int column, int rowCount, JsonMapper json) {
        byte[] nameBytes = utf8(name);
        boolean allDouble = true;
        boolean allLong = true;
        for (List<Object> row : rows) {
            Object cell = row.get(column);
            allDouble &= cell == null || cell instanceof Double;
            allLong &= cell == null || cell instanceof Long;
        }
        if (allDouble) {
            double[] values = new double[rowCount];
            for (int r = 0; r < rowCount; r++) {
                Object cell = rows.get(r).get(column);
                values[r] = cell == null ? Double.NaN : (Double) cell;
            }
            return new EncodedColumn(nameBytes, DOUBLES, values, null, null, null);
        }
        if (allLong) {
            long[] values = new long[rowCount];
            BitSet nulls = new BitSet(rowCount);
            for (int r = 0; r < rowCount; r++) {
                Object cell = rows.get(r).get(column);
                if (cell == null) {
                    nulls.set(r);
                } else {
                    values[r] = (Long) cell;
                }
            }
            return new EncodedColumn(nameBytes, LONGS, null, values, nulls.toByteArray(), null);
        }
        List<Object> cells = new ArrayList<>(rowCount);
        for (List<Object> row : rows) {
            cells.add(row.get(column));
        }
        return new EncodedColumn(nameBytes, CELLS, null, null, null, json.writeValueAsBytes(cells));
    }

    @SuppressWarnings("unchecked")
    static Table decode(byte[] bytes, JsonMapper json) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new IllegalStateException("stored data set does not start with BPT1");
        }
        int rows = in.getInt();
        int columnCount = in.getInt();
        List<String> names = new ArrayList<>(columnCount);
        // Every column into its primitive array first, then the rows one after the other: filling the rows
        // column by column stores references into 70,000 arrays already in the old generation, and G1's
        // remembered-set upkeep for that took minutes of CPU on the T4 data set.
        byte[] types = new byte[columnCount];
        double[][] doubles = new double[columnCount][];
        long[][] longs = new long[columnCount][];
        BitSet[] nulls = new BitSet[columnCount];
        List<Object>[] cells = new List[columnCount];
        for (int c = 0; c < columnCount; c++) {
            byte[] name = new byte[in.getShort() & 0xFFFF];
            in.get(name);
            names.add(new String(name, StandardCharsets.UTF_8));
            types[c] = in.get();
            switch (types[c]) {
                case DOUBLES -> doubles[c] = PackedArrays.getDoubles(in, rows);
                case LONGS -> {
                    longs[c] = PackedArrays.getLongs(in, rows);
                    byte[] bitmap = new byte[in.getInt()];
                    in.get(bitmap);
                    nulls[c] = BitSet.valueOf(bitmap);
                }
                case CELLS -> {
                    byte[] text = new byte[in.getInt()];
                    in.get(text);
                    cells[c] = json.readValue(text, List.class);
                }
                default -> throw new IllegalStateException("stored column " + c + " has unknown type " + types[c]);
            }
        }
        List<List<Object>> table = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[columnCount];
            for (int c = 0; c < columnCount; c++) {
                row[c] = switch (types[c]) {
                    case DOUBLES -> Double.isNaN(doubles[c][r]) ? null : (Object) doubles[c][r];
                    case LONGS -> nulls[c].get(r) ? null : (Object) longs[c][r];
                    default -> cells[c].get(r);
                };
            }
            table.add(Arrays.asList(row));
        }
        return new Table(names, table);
    }

    private static byte[] utf8(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("column name of " + utf8.length + " bytes; the limit is 65,535");
        }
        return utf8;
    }
}
