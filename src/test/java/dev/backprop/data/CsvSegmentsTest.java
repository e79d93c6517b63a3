package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file read in segments at once is the file read in one pass: the same table, or the same problems. */
class CsvSegmentsTest {

    private static final CsvReader.Limits LIMITS = new CsvReader.Limits(100_000, 50, 100_000);

    private static CsvReader.Source source(String csv) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        return new CsvReader.Source() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    /** Integers, decimals, an integer column that turns decimal late, empty columns and cells, quoted numbers. */
    private static String numbers(int rows, String lineEnd, boolean lastLineEnd) {
        SplittableRandom random = new SplittableRandom(rows);
        StringBuilder csv = new StringBuilder("\uFEFFint,dec,late,empty,early,quoted").append(lineEnd);
        for (int r = 0; r < rows; r++) {
            csv.append(random.nextInt(-50, 50)).append(',')
                    .append(random.nextInt(10) == 0 ? "" : String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian()))
                    .append(',').append(r > rows * 3 / 4 ? random.nextDouble() * 1e3 : random.nextInt(1000)).append(',')
                    .append(random.nextBoolean() ? "" : "  ").append(',')
                    .append(r < rows / 2 ? "" : String.valueOf(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L))).append(',')
                    .append('"').append(random.nextInt(7)).append(".5\"");
            if (r < rows - 1 || lastLineEnd) {
                csv.append(lineEnd);
            }
        }
        return csv.toString();
    }

    @Test
    void aFileOfNumbersReadInSegmentsIsTheFileReadInOnePass() {
        for (String lineEnd : new String[]{"\n", "\r\n"}) {
            for (boolean lastLineEnd : new boolean[]{true, false}) {
                String csv = numbers(2_000, lineEnd, lastLineEnd);
                CsvReader.Result once = CsvReader.read(source(csv), LIMITS, CsvReader.Options.DEFAULT, 1);
                assertThat(once.table().column(0)).isInstanceOf(Column.Longs.class);
                assertThat(once.table().column(2)).isInstanceOf(Column.Doubles.class);
                assertThat(once.table().column(4)).isInstanceOf(Column.Longs.class);
                for (int segments = 2; segments <= 7; segments++) {
                    CsvReader.Result segmented = CsvSegments.read(source(csv), LIMITS, CsvReader.Options.DEFAULT, segments);
                    assertThat(segmented).as("%d segments read at once", segments).isNotNull();
                    assertThat(segmented.table()).isEqualTo(once.table());
                    assertThat(segmented.delimiter()).isEqualTo(once.delimiter());
                    assertThat(segmented.nonNumeric()).isEqualTo(once.nonNumeric());
                }
            }
        }
    }

    @Test
    void aSpooledFileIsReadInSegmentsFromItsOffsets(@TempDir Path folder) throws Exception {
        String csv = numbers(3_000, "\n", true).replace(',', ';');
        Path file = folder.resolve("upload.csv");
        Files.writeString(file, csv);
        CsvReader.Result once = CsvReader.read(source(csv), LIMITS, CsvReader.Options.DEFAULT, 1);
        CsvReader.Result segmented = CsvSegments.read(CsvReader.Source.of(file), LIMITS, CsvReader.Options.DEFAULT, 3);
        assertThat(segmented).isNotNull();
        assertThat(segmented.delimiter()).isEqualTo(Delimiter.SEMICOLON);
        assertThat(segmented.table()).isEqualTo(once.table());
    }

    @Test
    void aCutInsideAQuotedFieldIsFoundAndTheFileIsReadInOnePass() {
        // the forced categorical column may hold any text; its one long quoted field spans the middle of the file
        StringBuilder csv = new StringBuilder("x,note\n1,short\n2,\"");
        for (int line = 0; line < 500; line++) {
            csv.append("line ").append(line).append(",\n3,4\n");
        }
        csv.append("\"\n5,end\n");
        CsvReader.Options options = new CsvReader.Options(null, Map.of("note", ColumnType.CATEGORICAL));
        assertThat(CsvSegments.read(source(csv.toString()), LIMITS, options, 2)).isNull();
        CsvReader.Result once = CsvReader.read(source(csv.toString()), LIMITS, options, 1);
        assertThat(once.table().rowCount()).isEqualTo(3);
        assertThat(CsvReader.read(source(csv.toString()), LIMITS, options, 2).table()).isEqualTo(once.table());
    }

    @Test
    void aForcedCategoricalColumnIsReadInSegmentsWithItsText() {
        StringBuilder csv = new StringBuilder("x,zip\n");
        for (int r = 0; r < 1_000; r++) {
            csv.append(r).append(',').append(r % 3 == 0 ? " 00" + r : r % 3 == 1 ? "\"a,b\"" : "").append('\n');
        }
        CsvReader.Options options = new CsvReader.Options(null, Map.of("zip", ColumnType.CATEGORICAL));
        CsvReader.Result once = CsvReader.read(source(csv.toString()), LIMITS, options, 1);
        CsvReader.Result segmented = CsvSegments.read(source(csv.toString()), LIMITS, options, 4);
        assertThat(segmented).isNotNull();
        assertThat(segmented.table()).isEqualTo(once.table());
        assertThat(segmented.table().column(1).cell(3)).isEqualTo(" 003");
    }

    @Test
    void cellsThatAreNoNumbersLeaveTheFileToOnePassWithTheSameFlags() {
        StringBuilder csv = new StringBuilder("a,b,flag\n");
        for (int r = 0; r < 1_000; r++) {
            csv.append(r).append(',').append(r == 700 || r == 900 ? "n/a" : String.valueOf(r * 0.5)).append(',')
                    .append(r < 800 ? "" : r % 2 == 0 ? "true" : "FALSE").append('\n');
        }
        assertThat(CsvSegments.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 3)).isNull();
        CsvReader.Result once = CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 1);
        CsvReader.Result segmented = CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 3);
        assertThat(segmented.table()).isEqualTo(once.table());
        assertThat(segmented.nonNumeric()).isEqualTo(once.nonNumeric()).containsKey("b");
        assertThat(segmented.nonNumeric().get("b").firstRows()).containsExactly(701L, 901L);
    }

    @Test
    void problemsInLaterSegmentsKeepTheirRowsAndMessages() {
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int r = 1; r <= 1_000; r++) {
            csv.append(r).append(',').append(r == 600 ? "NaN" : r == 800 ? "1e999" : "0.25");
            csv.append(r == 900 ? ",extra\n" : "\n");
        }
        DataException once = catchThrowableOfType(DataException.class,
                () -> CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 1));
        DataException segmented = catchThrowableOfType(DataException.class,
                () -> CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 4));
        assertThat(once.problems()).isNotEmpty();
        assertThat(once.problems().get(0).field()).isEqualTo("row 900");
        assertThat(segmented.problems()).isEqualTo(once.problems());

        CsvReader.Limits fewRows = new CsvReader.Limits(999, 50, 1_000);
        String numbers = numbers(1_000, "\n", true);
        DataException tooMany = catchThrowableOfType(DataException.class,
                () -> CsvReader.read(source(numbers), fewRows, CsvReader.Options.DEFAULT, 3));
        assertThat(tooMany.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("more than 999 rows"));
    }

    @Test
    void blocksOfRowsAcrossChunksAndForcedTypesGiveTheOnePassColumnsBitForBit() {
        // 20,001 rows: each segment crosses the builders' 8,192-row chunks and ends in a partly filled block of rows
        String csv = numbers(20_001, "\r\n", false);
        for (Map<String, ColumnType> types : java.util.List.of(Map.<String, ColumnType>of(),
                Map.of("int", ColumnType.NUMERIC, "late", ColumnType.NUMERIC, "quoted", ColumnType.CATEGORICAL))) {
            CsvReader.Options options = new CsvReader.Options(null, types);
            CsvReader.Result once = CsvReader.read(source(csv), LIMITS, options, 1);
            for (int segments = 2; segments <= 3; segments++) {
                CsvReader.Result segmented = CsvSegments.read(source(csv), LIMITS, options, segments);
                assertThat(segmented).as("%d segments, types %s", segments, types).isNotNull();
                assertThat(segmented.table()).isEqualTo(once.table());
                for (int c = 0; c < once.table().columns().size(); c++) {
                    if (once.table().column(c) instanceof Column.Doubles doubles) {
                        double[] read = ((Column.Doubles) segmented.table().column(c)).values();
                        for (int r = 0; r < read.length; r++) {
                            assertThat(Double.doubleToRawLongBits(read[r])).isEqualTo(Double.doubleToRawLongBits(doubles.values()[r]));
                        }
                    }
                }
            }
            assertThat(once.table().column(0)).isInstanceOf(types.isEmpty() ? Column.Longs.class : Column.Doubles.class);
        }
    }

    @Test
    void oddNumbersReadInSegmentsAreTheOnePassNumbersBitForBit() {
        String[] odd = {"-0", "-0.0", "0.0000", "-0.0000", "1e5", "-2.5E-3", "0.1234567890123456789", "123456789012345678",
                "12345678", "-1234567.1234567", "+1.5", ".5", "-.5", "5.", "00.50", " 1.25 ", "\"-3.75\"", "", "7", "-7",
                "4.9e-324", "1.7976931348623157e308", "9007199254740993"};
        SplittableRandom random = new SplittableRandom(5);
        for (String lineEnd : new String[]{"\n", "\r\n"}) {
            StringBuilder csv = new StringBuilder("\uFEFFa,b,c,d").append(lineEnd);
            for (int r = 0; r < 12_000; r++) {
                for (int c = 0; c < 4; c++) {
                    csv.append(c == 0 ? String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian())
                            : odd[random.nextInt(odd.length)]).append(c < 3 ? "," : lineEnd);
                }
            }
            CsvReader.Result once = CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 1);
            for (int segments = 2; segments <= 5; segments++) {
                CsvReader.Result segmented = CsvSegments.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, segments);
                assertThat(segmented).as("%d segments", segments).isNotNull();
                // Doubles compare by their bits (Arrays.equals), so -0.0 is not 0.0 here
                assertThat(segmented.table()).isEqualTo(once.table());
            }
        }
    }

    @Test
    void lineFeedsAreCountedAtEveryOffsetAndLength() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        byte[] bytes = new byte[200_003];
        for (int i = 0; i < bytes.length; i++) {
            // line feeds among the bytes that sit next to them in the table (\t, \v, \r, 0x8A) and bytes with the top bit set
            int pick = random.nextInt(10);
            bytes[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x8A : pick == 2 ? 0x0B : pick == 3 ? '\t' : pick == 4 ? 0xFF
                    : random.nextInt(256));
        }
        CsvReader.Source source = new CsvReader.Source() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
        for (int trial = 0; trial < 200; trial++) {
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(Math.min(bytes.length - from, trial < 100 ? 40 : 150_000) + 1);
            long expected = 0;
            for (int i = from; i < to; i++) {
                expected += bytes[i] == '\n' ? 1 : 0;
            }
            if (to > from && bytes[to - 1] != '\n') {
                expected++;  // the last record has no line end
            }
            assertThat(CsvSegments.lineFeeds(source, from, to)).as("[%d, %d)", from, to).isEqualTo(expected);
        }
    }

    @Test
    void recordsEndedByALoneCarriageReturnAreStillReadInSegmentsWhereTheyBelong() {
        // a lone CR ends a record but is no line feed: counted rows would put the later rows in the wrong place
        StringBuilder mixed = new StringBuilder(numbers(3_000, "\n", true));
        for (double at : new double[]{0.2, 0.7, 0.9}) {
            mixed.setCharAt(mixed.indexOf("\n", (int) (mixed.length() * at)), '\r');
        }
        String csv = mixed.toString();
        CsvReader.Result once = CsvReader.read(source(csv), LIMITS, CsvReader.Options.DEFAULT, 1);
        assertThat(once.table().rowCount()).isEqualTo(3_000);
        for (int segments = 2; segments <= 4; segments++) {
            CsvReader.Result segmented = CsvSegments.read(source(csv), LIMITS, CsvReader.Options.DEFAULT, segments);
            assertThat(segmented).as("%d segments", segments).isNotNull();
            assertThat(segmented.table()).isEqualTo(once.table());
        }
        // no line feed at all: no cut, one pass
        String crOnly = numbers(3_000, "\r", true);
        assertThat(CsvReader.read(source(crOnly), LIMITS, CsvReader.Options.DEFAULT, 3).table())
                .isEqualTo(CsvReader.read(source(crOnly), LIMITS, CsvReader.Options.DEFAULT, 1).table());
    }

    @Test
    void aNumberOutOfRangeInTheSecondSegmentIsReportedAtItsRow() {
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int r = 1; r <= 20_000; r++) {
            csv.append(r).append(',').append(r == 15_003 ? "1e999" : "0.25").append('\n');
        }
        DataException segmented = catchThrowableOfType(DataException.class,
                () -> CsvReader.read(source(csv.toString()), LIMITS, CsvReader.Options.DEFAULT, 2));
        assertThat(segmented.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("row 15003, column 'b'");
            assertThat(p.message()).isEqualTo("number out of range: 1e999");
        });
    }
}
