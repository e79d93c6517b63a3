package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The streaming reader's own promises: delimiters, column types, mostly numeric columns, exact numbers, buffers. */
class CsvIngestTest {

    private static CsvReader.Result read(String csv, CsvReader.Options options) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        return CsvReader.read(() -> new ByteArrayInputStream(bytes), CsvReaderTest.LIMITS, options);
    }

    private static CsvReader.Result read(String csv) {
        return read(csv, CsvReader.Options.DEFAULT);
    }

    @Test
    void semicolonTabAndPipeFilesAreSniffedIntoTheirColumns() {
        for (String separator : List.of(";", "\t", "|")) {
            CsvReader.Result result = read("a" + separator + "b" + separator + "c\n1" + separator + "2,5" + separator + "x\n"
                    + "3" + separator + "4" + separator + "y\n");
            assertThat(result.delimiter().character()).isEqualTo(separator.charAt(0));
            assertThat(result.table().columns()).containsExactly("a", "b", "c");
            assertThat(result.table().rows().get(1)).containsExactly(3L, "4", "y");
        }
        assertThat(read("a,b\n1,2\n").delimiter()).isEqualTo(Delimiter.COMMA);
        assertThat(read("only\n1\n2\n").table().columns()).containsExactly("only");
    }

    @Test
    void aNamedDelimiterWinsOverTheSniffedOne() {
        // The header has more semicolons than commas, but the uploader says comma.
        CsvReader.Result result = read("a;b,c\n1;2,3\n", new CsvReader.Options(Delimiter.COMMA, Map.of()));
        assertThat(result.table().columns()).containsExactly("a;b", "c");
        assertThat(result.table().rows().get(0)).containsExactly("1;2", 3L);
        assertThat(Delimiter.named("tab")).isEqualTo(Delimiter.TAB);
        assertThat(Delimiter.named(";")).isEqualTo(Delimiter.SEMICOLON);
        assertThatThrownBy(() -> Delimiter.named("colon")).hasMessageContaining("comma, semicolon, tab, pipe");
    }

    @Test
    void aMostlyNumericColumnIsFlaggedWithItsCountAndFirstRows() {
        StringBuilder csv = new StringBuilder("age,code\n");
        for (int r = 1; r <= 40; r++) {
            csv.append(r == 7 || r == 31 ? "?" : String.valueOf(20 + r)).append(',').append(r % 2 == 0 ? "A" + r : "" + r).append('\n');
        }
        CsvReader.Result result = read(csv.toString());
        NonNumericCells age = result.nonNumeric().get("age");
        assertThat(age.count()).isEqualTo(2);
        assertThat(age.numbers()).isEqualTo(38);
        assertThat(age.firstRows()).containsExactly(7L, 31L);
        assertThat(age.values()).containsExactly("?");
        assertThat(age.readAs()).isEqualTo("categorical");
        // half numbers, half codes: categorical on purpose, not flagged
        assertThat(result.nonNumeric()).doesNotContainKey("code");
        // the flagged column still reads as text, every cell exactly as written
        assertThat(result.table().rows().get(0).get(0)).isEqualTo("21");
        assertThat(result.table().rows().get(6).get(0)).isEqualTo("?");
    }

    @Test
    void aColumnThatTurnsToTextAfterNumbersKeepsTheirExactText() {
        Table table = read("code,n\n1.50,1\n007,2\n1e3,3\nA7,4\n").table();
        assertThat(table.rows()).extracting(r -> r.get(0)).containsExactly("1.50", "007", "1e3", "A7");
        assertThat(table.rows()).extracting(r -> r.get(1)).containsExactly(1L, 2L, 3L, 4L);
        Table booleans = read("flag\nTRUE\nfalse\nmaybe\n").table();
        assertThat(booleans.rows()).extracting(r -> r.get(0)).containsExactly("TRUE", "false", "maybe");
    }

    @Test
    void columnTypesOverrideInference() {
        CsvReader.Options options = new CsvReader.Options(null, Map.of("age", ColumnType.NUMERIC, "zip", ColumnType.CATEGORICAL));
        CsvReader.Result result = read("age,zip\n31,007\nn/a,10115\n45,\n", options);
        assertThat(result.table().rows()).extracting(r -> r.get(0)).containsExactly(31.0, null, 45.0);
        assertThat(result.table().rows()).extracting(r -> r.get(1)).containsExactly("007", "10115", null);
        NonNumericCells age = result.nonNumeric().get("age");
        assertThat(age.readAs()).isEqualTo("missing");
        assertThat(age.firstRows()).containsExactly(2L);
        assertThat(age.values()).containsExactly("n/a");
        assertThat(ColumnSummary.of(result.table()).get(0).type()).isEqualTo("numeric");
        assertThat(ColumnType.named("Numeric")).isEqualTo(ColumnType.NUMERIC);
    }

    @Test
    void decimalsParseToTheSameDoubleAsTheJdk() {
        SplittableRandom random = new SplittableRandom(16);
        StringBuilder csv = new StringBuilder("x\n");
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String text = switch (i % 5) {
                case 0 -> String.format(java.util.Locale.ROOT, "%.4f", random.nextGaussian());
                case 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
                case 2 -> "0." + Long.toString(random.nextLong(1, Long.MAX_VALUE));
                case 3 -> (random.nextBoolean() ? "-" : "+") + random.nextInt(1000) + "." + random.nextInt(100000) + "e" + random.nextInt(-300, 300);
                default -> "." + random.nextInt(1_000_000);
            };
            texts.add(text);
            csv.append(text).append('\n');
        }
        CsvReader.Limits limits = new CsvReader.Limits(100_000, 5, 100);
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        Column column = CsvReader.read(() -> new ByteArrayInputStream(bytes), limits, CsvReader.Options.DEFAULT).table().column(0);
        double[] values = ((Column.Doubles) column).values();
        for (int i = 0; i < texts.size(); i++) {
            assertThat(values[i]).as(texts.get(i)).isEqualTo(Double.parseDouble(texts.get(i)));
        }
    }

    @Test
    void fieldsAcrossBufferBoundariesReadWhole() {
        // 64 KB buffers: quoted and unquoted fields of every length cross them somewhere in 300 KB
        StringBuilder csv = new StringBuilder("id,text,value\n");
        SplittableRandom random = new SplittableRandom(7);
        int rows = 6_000;
        for (int r = 0; r < rows; r++) {
            String text = "t".repeat(random.nextInt(60));
            csv.append(r).append(',').append(r % 3 == 0 ? "\"" + text + ",\"\"q\"\"\n\"" : text).append(',').append(r * 0.25)
                    .append(r % 2 == 0 ? "\r\n" : "\n");
        }
        CsvReader.Limits limits = new CsvReader.Limits(100_000, 5, 100);
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicInteger opened = new AtomicInteger();
        Table table = CsvReader.read(() -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        }, limits, CsvReader.Options.DEFAULT).table();
        assertThat(opened).hasValue(1);  // no column turned to text after numbers: one pass
        assertThat(table.rowCount()).isEqualTo(rows);
        random = new SplittableRandom(7);
        for (int r = 0; r < rows; r++) {
            String text = "t".repeat(random.nextInt(60));
            List<Object> row = table.rows().get(r);
            assertThat(row.get(0)).isEqualTo((long) r);
            assertThat(row.get(1)).isEqualTo(r % 3 == 0 ? text + ",\"q\"\n" : text.isEmpty() ? null : text);
            assertThat(row.get(2)).isEqualTo(r * 0.25);
        }
    }

    @Test
    void aNumericColumnIsOnePrimitiveArray() {
        Table table = read("x,y,z\n1,2.5,\n2,,\n").table();
        assertThat(table.column(0)).isInstanceOf(Column.Longs.class);
        assertThat(table.column(1)).isInstanceOf(Column.Doubles.class);
        assertThat(((Column.Doubles) table.column(1)).values()).containsExactly(2.5, Double.NaN);
        assertThat(ColumnSummary.of(table).get(2).type()).isEqualTo("empty");
    }
}
