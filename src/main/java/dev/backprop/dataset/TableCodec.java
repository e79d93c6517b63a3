package dev.backprop.dataset;

import dev.backprop.data.Column;
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
 * A data set's columns as stored: one primitive array per column where the column allows it.
 *
 * <p>A column of finite doubles (or null) is stored as float64 values with NaN for null; a column of
 * integral numbers as int64 values plus a bitmap of nulls, so that integers beyond 2⁵³ and the difference
 * between {@code 1} and {@code 1.0} (which decides how class labels read back) survive; any other column
 * (strings, booleans, mixed kinds) as the JSON of its cells. Reading the T4 data set back is then a copy
 * per column instead of parsing 55 million decimal numbers.
 *
 * <p>Since V15 each column is one row of {@code dataset_column} ({@link #encodeColumn}: a type byte and the
 * payload), so that an upload writes, and a job reads, one column at a time. Data sets stored between V4
 * and V15 hold every column in one value ({@link #encode}, big-endian): the magic {@code BPT1}, the row
 * count, the column count, then per column its name (a two-byte length and UTF-8), a type byte and the
 * payload: {@code rows} float64 values; or {@code rows} int64 values, a bitmap length and the bitmap; or a
 * length and the UTF-8 JSON array of cells. Column rows may also hold a fourth type, decimals of one scale as
 * small integers ({@link ScaledDecimals}); the one-value layout never does.
 */
final class TableCodec {

    private static final int MAGIC = 0x42505431; // "BPT1"
    private static final byte DOUBLES = 0;
    private static final byte LONGS = 1;
    private static final byte CELLS = 2;
    /** Doubles as integers over a power of ten ({@link ScaledDecimals}); since the tenth session, in column rows only. */
    private static final byte SCALED_DECIMALS = 3;

    private TableCodec() {
    }

    /**
     * One column's stored bytes: its type byte and its payload. A column of doubles that are all decimals of one
     * scale is stored as {@link ScaledDecimals} (2 bytes a cell for T4's, against 8), read back bit for bit.
     */
    static byte[] encodeColumn(Column column, JsonMapper json) {
        if (column instanceof Column.Doubles doubles) {
            byte[] scaled = ScaledDecimals.encode(doubles.values(), 1);
            if (scaled != null) {
                scaled[0] = SCALED_DECIMALS;
                return scaled;
            }
        }
        return plainColumn(column, json);
    }

    /** A column's type byte and payload in the layout of every data set stored before the tenth session. */
    private static byte[] plainColumn(Column column, JsonMapper json) {
        if (column instanceof Column.Doubles doubles) {
            ByteBuffer out = ByteBuffer.allocate(1 + doubles.size() * Double.BYTES).put(DOUBLES);
            PackedArrays.putDoubles(out, doubles.values());
            return out.array();
        }
        if (column instanceof Column.Longs longs) {
            byte[] nulls = longs.missing().toByteArray();
            ByteBuffer out = ByteBuffer.allocate(1 + longs.size() * Long.BYTES + Integer.BYTES + nulls.length).put(LONGS);
            PackedArrays.putLongs(out, longs.values());
            out.putInt(nulls.length).put(nulls);
            return out.array();
        }
        byte[] text = json.writeValueAsBytes(Arrays.asList(((Column.Cells) column).cells()));
        return ByteBuffer.allocate(1 + Integer.BYTES + text.length).put(CELLS).putInt(text.length).put(text).array();
    }

    /** A column from its stored bytes ({@link #encodeColumn}). */
    static Column decodeColumn(byte[] bytes, int rows, JsonMapper json) {
        if (bytes.length > 0 && bytes[0] == SCALED_DECIMALS) {
            return new Column.Doubles(ScaledDecimals.decode(bytes, 1, rows));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return readColumn(in, in.get(), rows, json, "stored column");
    }

    /** Every column in one value: the layout of the data sets stored between V4 and V15. */
    static byte[] encode(Table table, JsonMapper json) {
        int rows = table.rowCount();
        List<byte[]> names = new ArrayList<>();
        List<byte[]> columns = new ArrayList<>();
        long size = 3L * Integer.BYTES;
        for (int c = 0; c < table.columns().size(); c++) {
            names.add(utf8(table.columns().get(c)));
            columns.add(plainColumn(table.column(c), json));
            size += Short.BYTES + names.get(c).length + columns.get(c).length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the data set takes " + size + " bytes; the limit is 2 GB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.putInt(MAGIC).putInt(rows).putInt(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            out.putShort((short) names.get(c).length).put(names.get(c)).put(columns.get(c));
        }
        return out.array();
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
        List<Column> columns = new ArrayList<>(columnCount);
        for (int c = 0; c < columnCount; c++) {
            byte[] name = new byte[in.getShort() & 0xFFFF];
            in.get(name);
            names.add(new String(name, StandardCharsets.UTF_8));
            columns.add(readColumn(in, in.get(), rows, json, "stored column " + c));
        }
        return Table.ofColumns(names, columns);
    }

    @SuppressWarnings("unchecked")
    private static Column readColumn(ByteBuffer in, byte type, int rows, JsonMapper json, String what) {
        return switch (type) {
            case DOUBLES -> new Column.Doubles(PackedArrays.getDoubles(in, rows));
            case LONGS -> {
                long[] values = PackedArrays.getLongs(in, rows);
                byte[] bitmap = new byte[in.getInt()];
                in.get(bitmap);
                yield new Column.Longs(values, BitSet.valueOf(bitmap));
            }
            case CELLS -> {
                byte[] text = new byte[in.getInt()];
                in.get(text);
                yield new Column.Cells(json.readValue(text, List.class).toArray());
            }
            default -> throw new IllegalStateException(what + " has unknown type " + type);
        };
    }

    private static byte[] utf8(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("column name of " + utf8.length + " bytes; the limit is 65,535");
        }
        return utf8;
    }
}
