package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Clinger's fast path gives the double {@link Double#parseDouble} gives, bit for bit, on every string it takes, for
 * CSV bytes and JSON characters alike; and it takes the common ones (at most 15 significant digits, a power of ten
 * within ±22), which is its point.
 */
class NumberScanTest {

    private static final List<String> EDGES = List.of("0", "-0", "0.0", "-0.0", "0e5", "-0E-400", "0.000000000000000000000000001",
            "1", "-1", "0.1", "0.2", "0.3", "4.35", "-1.2345", "0.0001", "1e-05", "1E+05", "1e22", "1e23", "1e-22", "1e-23",
            "123456789012345", "999999999999999", "9999999999999999", "123456789012345.6", "1234567890123456",
            "9007199254740993", "9007199254740993e-5", "0.30000000000000004", "2.2250738585072014E-308", "4.9e-324",
            "1.7976931348623157e308", "1e309", "1e-400", "123.456e-20", "123.456e20", "12345e-25", "1.00000000000000000000",
            "100000000000000000000000", "5e-324", "3.0e0", "7E00000000000000000001", "8.5e-00000000000000000001");

    private static long parsedBits(String text) {
        return Double.doubleToRawLongBits(Double.parseDouble(text));
    }

    private static double fromChars(String text) {
        char[] padded = ("[" + text + "]").toCharArray();  // the token's characters lie inside a larger buffer
        return NumberScan.exactDecimal(padded, 1, text.length());
    }


    /** Random JSON numbers: 1 to 20 digits with a point anywhere or none, an exponent or not, leading zeros sometimes. */
    private static List<String> randomNumbers(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> numbers = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            StringBuilder text = new StringBuilder();
            if (random.nextBoolean()) {
                text.append('-');
            }
            int digits = 1 + random.nextInt(random.nextInt(4) == 0 ? 20 : 15);
            StringBuilder significand = new StringBuilder();
            for (int d = 0; d < digits; d++) {
                significand.append((char) ('0' + random.nextInt(10)));
            }
            int point = random.nextInt(digits + 1);
            String whole = significand.substring(0, point).replaceFirst("^0+(?=.)", "");
            text.append(whole.isEmpty() ? "0" : whole);
            if (point < digits) {
                text.append('.').append(random.nextInt(5) == 0 ? "000" : "").append(significand.substring(point));
            }
            if (random.nextInt(3) == 0) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(3) == 0 ? "+" : random.nextBoolean() ? "-" : "")
                        .append(random.nextInt(random.nextInt(5) == 0 ? 400 : 30));
            }
            numbers.add(text.toString());
        }
        return numbers;
    }

    @Test
    void jsonCharactersGiveTheDoubleParseDoubleGivesWheneverTheFastPathAnswers() {
        List<String> numbers = new ArrayList<>(EDGES);
        numbers.addAll(randomNumbers(60_000, 16));
        int answered = 0;
        for (String number : numbers) {
            double fast = fromChars(number);
            if (!Double.isNaN(fast)) {
                answered++;
                assertThat(Double.doubleToRawLongBits(fast)).as(number).isEqualTo(parsedBits(number));
            }
        }
        assertThat(answered).as("numbers the fast path answered").isGreaterThan(numbers.size() / 2);
    }

    @Test
    void theFastPathAnswersEveryNumberOfAtMostFifteenDigitsAndASmallPowerOfTen() {
        for (String number : List.of("0.5294", "-1.2345", "0.0001", "1e-05", "123456789012345", "12345.6789012345", "1e22",
                "1e-22", "-0.0", "0", "3.0e0", "123.456e-19", "12345e-22", "123.456e20")) {
            assertThat(fromChars(number)).as(number).isNotNaN();
            assertThat(Double.doubleToRawLongBits(fromChars(number))).as(number).isEqualTo(parsedBits(number));
        }
        for (String number : List.of("1234567890123456", "0.30000000000000004", "1e23", "1e309", "2.2250738585072014E-308",
                "123.456e-20", "12345e-25")) {
            assertThat(fromChars(number)).as(number + " is left to the exact parser").isNaN();
        }
    }

    @Test
    void csvBytesStillGiveTheDoubleParseDoubleGives() {
        List<String> numbers = new ArrayList<>(EDGES);
        numbers.addAll(randomNumbers(20_000, 17));
        NumberScan scan = new NumberScan();
        for (String number : numbers) {
            byte[] bytes = number.getBytes(StandardCharsets.US_ASCII);
            if (scan.scan(bytes, 0, bytes.length) == NumberScan.INTEGER) {
                assertThat((double) scan.longValue).as(number).isEqualTo(Double.parseDouble(number));  // a long has no -0
            } else {
                assertThat(Double.doubleToRawLongBits(scan.doubleValue)).as(number).isEqualTo(parsedBits(number));
            }
        }
    }
}
