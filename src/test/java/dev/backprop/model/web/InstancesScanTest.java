package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Column;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The byte scan of {@code {"instances": …}} gives every number the double Jackson's reader ({@link PredictBody.Reader})
 * gives it, bit for bit, and leaves every other body — other shapes, anything malformed — to that reader.
 */
class InstancesScanTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Number texts of every form JSON allows: t4.csv's four decimals, shortest doubles, exponents, integers, extremes. */
    private static List<String> texts(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1e22", "1e23", "1E+2", "2e-3", "-1.2345",
                "0.30000000000000004", "2.2250738585072014E-308", "4.9E-324", "1.7976931348623157E308", "900719925474099",
                "-900719925474099", "123456789012345", "9007199254740993.0", "1.0000000000000002", "0.1e-400"));
        for (int i = 0; i < count; i++) {
            texts.add(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            texts.add(Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)));
            texts.add(Double.toString(-random.nextDouble() * Math.pow(10, random.nextInt(-40, 40))));
            texts.add(random.nextInt(-1_000_000, 1_000_000) + (random.nextBoolean() ? "e" : "E-") + random.nextInt(0, 30));
            texts.add(Long.toString(random.nextLong(-999_999_999_999_999L, 1_000_000_000_000_000L)));
            texts.add(random.nextInt(0, 10) + "." + Long.toString(random.nextLong(0, Long.MAX_VALUE)));
        }
        return texts;
    }

    private static String body(List<String> texts, int width, String gap) {
        StringBuilder body = new StringBuilder("{" + gap + "\"instances\"" + gap + ":" + gap + "[");
        for (int r = 0; r < texts.size() / width; r++) {
            body.append(r == 0 ? "" : "," + gap).append('[').append(gap)
                    .append(String.join(gap + "," + gap, texts.subList(r * width, r * width + width))).append(gap).append(']');
        }
        return body.append(gap).append("]").append(gap).append("}").append(gap).toString();
    }

    @Test
    void everyNumberIsTheDoubleJacksonsReaderGivesIt() {
        List<String> texts = texts(16, 2_000);
        int width = 6;
        texts = texts.subList(0, texts.size() / width * width);
        for (String gap : List.of("", " ", "\n\t \r")) {
            String body = body(texts, width, gap);
            InstancesScan.Matrix matrix = InstancesScan.scan(body.getBytes(StandardCharsets.UTF_8));
            assertThat(matrix).as("gap %s", gap.replace("\n", "\\n")).isNotNull();
            assertThat(matrix.rows()).isEqualTo(texts.size() / width);
            assertThat(matrix.width()).isEqualTo(width);

            PredictBody read = JSON.readValue(body, PredictBody.class);
            for (int c = 0; c < width; c++) {
                double[] column = ((Column.Doubles) read.instances().column(c, false)).values();
                for (int r = 0; r < matrix.rows(); r++) {
                    String text = texts.get(r * width + c);
                    assertThat(Double.doubleToRawLongBits(matrix.values()[r * width + c])).as(text)
                            .isEqualTo(Double.doubleToRawLongBits(column[r]));
                }
            }
        }
    }

    @Test
    void decimalsAreWhatParseDoubleReadsAndIntegersWhatLongsAre() {
        List<String> texts = texts(61, 1_000);
        InstancesScan.Matrix matrix = InstancesScan.scan(body(texts, 1, " ").getBytes(StandardCharsets.UTF_8));
        assertThat(matrix).isNotNull();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            boolean integral = !text.contains(".") && !text.contains("e") && !text.contains("E");
            double expected = integral ? (double) Long.parseLong(text) : Double.parseDouble(text);
            assertThat(Double.doubleToRawLongBits(matrix.values()[i])).as(text).isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    @Test
    void aThreadsNextBodyIsReadWholeIntoItsReusedMatrix() {
        InstancesScan.Matrix large = InstancesScan.scan(body(texts(3, 500), 10, "").getBytes(StandardCharsets.UTF_8));
        assertThat(large).isNotNull();
        InstancesScan.Matrix small = InstancesScan.scan("{\"instances\": [[1.5, -2], [3, 4e1]]}".getBytes(StandardCharsets.UTF_8));
        assertThat(small.rows()).isEqualTo(2);
        assertThat(small.width()).isEqualTo(2);
        assertThat(java.util.Arrays.copyOf(small.values(), 4)).containsExactly(1.5, -2, 3, 40);
    }

    @Test
    void everyOtherBodyIsLeftToJackson() {
        List<String> others = List.of(
                "", " ", "{}", "[]", "{\"instances\": []}", "{\"instances\": [[]]}", "{\"instances\": [[1], []]}",
                "{\"instances\": [[1, 2], [3]]}", "{\"instances\": [[1], [2, 3]]}", "{\"instances\": null}",
                "{\"instances\": [[1, null]]}", "{\"instances\": [[1, \"2\"]]}", "{\"instances\": [[true]]}",
                "{\"instances\": [[1, [2]]]}", "{\"instances\": [[{\"a\": 1}]]}", "{\"instances\": [5]}",
                "{\"records\": [{\"x\": 1}]}", "{\"instances\": [[1]], \"records\": [{\"x\": 1}]}",
                "{\"instances\": [[1]], \"instances\": [[2]]}", "{\"\\u0069nstances\": [[1]]}", "{\"instances\" [[1]]}",
                "{\"instances\": [[1, 2],]}", "{\"instances\": [[1, 2,]]}", "{\"instances\": [[1 2]]}",
                "{\"instances\": [[01]]}", "{\"instances\": [[1.]]}", "{\"instances\": [[.5]]}", "{\"instances\": [[+1]]}",
                "{\"instances\": [[-]]}", "{\"instances\": [[1e]]}", "{\"instances\": [[1e+]]}", "{\"instances\": [[0x10]]}",
                "{\"instances\": [[NaN]]}", "{\"instances\": [[Infinity]]}", "{\"instances\": [[1e400]]}",
                "{\"instances\": [[-1e400]]}", "{\"instances\": [[9007199254740993]]}", "{\"instances\": [[1000000000000000]]}", "{\"instances\": [[123456789012345678901]]}",
                "{\"instances\": [[1]]} x", "{\"instances\": [[1]]}]", "{\"instances\": [[1]]", "{\"instances\": [[1]",
                "{\"instances\": [[1", "\uFEFF{\"instances\": [[1]]}", "{\"instances\":\u00a0[[1]]}",
                "{\"instances\": [[1]]}\u0000", "{\"instances\": [[1" + "0".repeat(80) + "]]}");
        for (String body : others) {
            assertThat(InstancesScan.scan(body.getBytes(StandardCharsets.UTF_8))).as(body).isNull();
        }
    }
}
