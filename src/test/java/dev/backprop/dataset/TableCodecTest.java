package dev.backprop.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Data sets go into the database as primitive arrays and come back cell for cell, kinds included. */
class TableCodecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyKindOfColumnRoundTripsWithItsCellTypes() {
        Table table = new Table(List.of("reals", "integers", "names", "mixed", "flags", "ünïcode ∑"), List.of(
                Arrays.asList(1.5, 1L, "cat", 1L, true, null),
                Arrays.asList(null, null, null, 1.5, false, null),
                Arrays.asList(-0.0, (1L << 60) + 1, "dog", "x", null, null),
                Arrays.asList(1e-300, -7L, "", null, true, null)));

        byte[] stored = TableCodec.encode(table, JSON);
        Table back = TableCodec.decode(stored, JSON);

        assertThat(back.columns()).isEqualTo(table.columns());
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < table.columns().size(); c++) {
                Object expected = table.rows().get(r).get(c);
                Object actual = back.rows().get(r).get(c);
                if (expected instanceof Number number && c >= 2) {
                    // columns that are not all doubles or all integers keep their cells as JSON
                    assertThat(((Number) actual).doubleValue()).as("row %d, column %d", r, c).isEqualTo(number.doubleValue());
                } else {
                    assertThat(actual).as("row %d, column %d", r, c).isEqualTo(expected);
                }
            }
        }
        // the integral column stays integral (1, not 1.0: class labels read back as given), beyond 2⁵³ exactly
        assertThat(back.rows().get(0).get(1)).isInstanceOf(Long.class);
        assertThat(back.rows().get(2).get(1)).isEqualTo((1L << 60) + 1);
        assertThat(back.rows().get(2).get(0)).isEqualTo(-0.0);
    }

    @Test
    void aNumericColumnTakesEightBytesPerCell() {
        int rows = 10_000;
        List<List<Object>> cells = new java.util.ArrayList<>();
        for (int r = 0; r < rows; r++) {
            cells.add(List.of(r * 0.5, (long) r));
        }
        byte[] stored = TableCodec.encode(new Table(List.of("x", "y"), cells), JSON);
        // header, two names, two type bytes, the values and y's (empty) null bitmap
        assertThat(stored.length).isEqualTo(12 + (2 + 1 + 1) * 2 + rows * 8 * 2 + 4);
        assertThat(TableCodec.decode(stored, JSON).rows()).isEqualTo(cells);
    }

    @Test
    void theStoredBytesAreThoseOfTheFirstLayout() {
        // Encoded before the column codec moved to platform.PackedArrays: stored data sets must read back as they were.
        Table table = new Table(List.of("reals", "integers", "names"), List.of(
                Arrays.asList(1.5, 1L, "cat"),
                Arrays.asList(null, null, null),
                Arrays.asList(-0.0, (1L << 60) + 1, "dog")));
        String stored = "QlBUMQAAAAMAAAADAAVyZWFscwA/+AAAAAAAAH/4AAAAAAAAgAAAAAAAAAAACGludGVnZXJzAQAAAAAAAAABAAAAAAAAAAAQAAAAAAAA"
                + "AQAAAAECAAVuYW1lcwIAAAASWyJjYXQiLG51bGwsImRvZyJd";
        assertThat(java.util.Base64.getEncoder().encodeToString(TableCodec.encode(table, JSON))).isEqualTo(stored);
        assertThat(TableCodec.decode(java.util.Base64.getDecoder().decode(stored), JSON).rows()).isEqualTo(table.rows());
    }

    @Test
    void decimalsOfOneScaleAreStoredAsSmallIntegersAndReadBackBitForBit() {
        java.util.Random random = new java.util.Random(16);
        for (int trial = 0; trial < 300; trial++) {
            int scale = random.nextInt(ScaledDecimals.MAX_SCALE + 1);
            int magnitude = new int[]{100, 30_000, Integer.MAX_VALUE - 1}[trial % 3];
            double[] values = new double[1 + random.nextInt(2_000)];
            for (int r = 0; r < values.length; r++) {
                // as the CSV reader reads them: a decimal's text through Double.parseDouble, now and then a missing cell
                values[r] = random.nextInt(20) == 0 ? Double.NaN
                        : Double.parseDouble(random.nextInt(-magnitude, magnitude + 1) + "e-" + scale);
            }
            byte[] stored = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(values), JSON);

            assertThat(stored[0]).as("trial %d, scale %d", trial, scale).isEqualTo((byte) 3);
            assertThat(bitsOf(TableCodec.decodeColumn(stored, values.length, JSON))).as("trial %d", trial)
                    .isEqualTo(bitsOf(values));
        }
    }

    @Test
    void t4sPixelsTakeTwoBytesACell() {
        double[] pixels = new double[70_000];
        for (int r = 0; r < pixels.length; r++) {
            pixels[r] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4f", (r % 10_001) / 10_000.0));
        }
        byte[] stored = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(pixels), JSON);
        // the type byte, the scale, the width, then a short a row
        assertThat(stored).hasSize(3 + 2 * pixels.length);
        assertThat(bitsOf(TableCodec.decodeColumn(stored, pixels.length, JSON))).isEqualTo(bitsOf(pixels));
    }

    @Test
    void doublesThatAreNoDecimalOfOneScaleStayEightBytesEach() {
        double otherNaN = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);
        for (double odd : new double[]{-0.0, 0.1 + 0.2, Math.PI, 1e300, Double.MIN_VALUE, 3e9, 1e-16, otherNaN}) {
            double[] values = {1.5, odd, 2.25, Double.NaN};
            byte[] stored = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(values), JSON);

            assertThat(stored[0]).as("%s", odd).isEqualTo((byte) 0);
            assertThat(stored).hasSize(1 + 8 * values.length);
            assertThat(bitsOf(TableCodec.decodeColumn(stored, values.length, JSON))).as("%s", odd).isEqualTo(bitsOf(values));
        }
    }

    @Test
    void valuesBeforeTheScaleGrowsAreCheckedAgainAtTheFinalScale() {
        // 100 is exact at scale 0 and 0.25 needs scale 2: 100 is then 10,000, which no byte holds
        byte[] widened = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(new double[]{100, Double.NaN, 0.25, -1}), JSON);
        assertThat(widened[0]).isEqualTo((byte) 3);
        assertThat(widened).hasSize(3 + 2 * 4);
        assertThat(bitsOf(TableCodec.decodeColumn(widened, 4, JSON))).isEqualTo(bitsOf(new double[]{100, Double.NaN, 0.25, -1}));
        // 1e9 is exact at scale 0, but at the scale of 0.5 it is 10^10, beyond an int: plain doubles
        double[] beyond = {1e9, 7, 0.5};
        byte[] plain = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(beyond), JSON);
        assertThat(plain[0]).isEqualTo((byte) 0);
        assertThat(bitsOf(TableCodec.decodeColumn(plain, 3, JSON))).isEqualTo(bitsOf(beyond));
    }

    @Test
    void aColumnWithNoValueAndIntegralDoublesRoundTrip() {
        for (double[] values : new double[][]{{Double.NaN, Double.NaN}, {0, 127, -127, Double.NaN}, {128, -128}, {-32_768, 5}}) {
            byte[] stored = TableCodec.encodeColumn(new dev.backprop.data.Column.Doubles(values), JSON);
            assertThat(stored[0]).isEqualTo((byte) 3);
            assertThat(bitsOf(TableCodec.decodeColumn(stored, values.length, JSON))).isEqualTo(bitsOf(values));
        }
    }

    private static long[] bitsOf(dev.backprop.data.Column column) {
        return bitsOf(((dev.backprop.data.Column.Doubles) column).values());
    }

    private static long[] bitsOf(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    @Test
    void anEmptyTableRoundTrips() {
        Table empty = new Table(List.of("a", "b"), List.of());
        assertThat(TableCodec.decode(TableCodec.encode(empty, JSON), JSON).columns()).containsExactly("a", "b");
    }
}
