package dev.backprop.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Column;
import dev.backprop.model.InputColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The predict body's numbers read as {@link Double#parseDouble} reads their text, bit for bit, whichever path each
 * takes (the exact fast path on the token's characters, or Jackson's parser): numbers of four decimals as in
 * {@code t4.csv}, shortest representations of random doubles (17 digits, exponents), extremes.
 */
class PredictBodyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<String> numbers() {
        SplittableRandom random = new SplittableRandom(64);
        List<String> numbers = new ArrayList<>(List.of("0.0", "-0.0", "1e22", "1e23", "-1.2345", "0.30000000000000004",
                "2.2250738585072014E-308", "4.9E-324", "1.7976931348623157E308", "1E-5", "123.456e-20", "9007199254740993.0"));
        for (int i = 0; i < 3_000; i++) {
            numbers.add(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            numbers.add(Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)));
            numbers.add(Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30))));
            numbers.add(random.nextInt(1_000_000) + "e" + random.nextInt(-25, 25));
        }
        return numbers;
    }

    @Test
    void instancesReadEveryNumberAsParseDoubleReadsItsText() {
        List<String> numbers = numbers();
        int width = 4;
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int r = 0; r < numbers.size() / width; r++) {
            body.append(r == 0 ? "[" : ", [").append(String.join(", ", numbers.subList(r * width, r * width + width))).append(']');
        }
        PredictBody read = JSON.readValue(body.append("]}").toString(), PredictBody.class);

        InputColumns rows = read.instances();
        assertThat(read.errors().isEmpty()).isTrue();
        assertThat(rows.rowCount()).isEqualTo(numbers.size() / width);
        for (int c = 0; c < width; c++) {
            double[] column = ((Column.Doubles) rows.column(c, false)).values();
            for (int r = 0; r < rows.rowCount(); r++) {
                String text = numbers.get(r * width + c);
                assertThat(Double.doubleToRawLongBits(column[r])).as(text)
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
            }
        }
    }

    @Test
    void recordsReadTheirNumbersTheSameWay() {
        PredictBody read = JSON.readValue("{\"records\": [{\"a\": 0.5294, \"b\": 0.30000000000000004}, {\"b\": -1e-7, \"a\": 12.5e3}]}",
                PredictBody.class);

        InputColumns rows = read.records();
        assertThat(((Column.Doubles) rows.column(rows.indexOf("a"), false)).values()).containsExactly(0.5294, 12_500.0);
        assertThat(((Column.Doubles) rows.column(rows.indexOf("b"), false)).values()).containsExactly(0.30000000000000004, -1e-7);
    }
}
