package dev.backprop.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Every length {@link NumberScan#json}'s eight-byte path reads and the lengths around it (1 to 9 digits either side of
     * the point, leading zeros, both signs), followed by each byte that ends or continues a number, at every distance
     * from the end of the array: the same end and the same double as {@link Double#parseDouble}, or the same refusal.
     */
    @Test
    void jsonBytesOfEveryShortLengthGiveParseDoublesDoubleAndEnd() {
        SplittableRandom random = new SplittableRandom(18);
        List<String> numbers = new ArrayList<>(List.of("0.0", "-0.0", "0.5", "-0.0001", "0.0000001", "9999999.9999999",
                "1234567.1234567", "12345678.5", "1.12345678", "00.5", "-00.5", "01.5", "-", "-.5", "0.", "1.x"));
        for (int integerDigits = 1; integerDigits <= 9; integerDigits++) {
            for (int fractionDigits = 1; fractionDigits <= 9; fractionDigits++) {
                for (int n = 0; n < 20; n++) {
                    StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
                    text.append(integerDigits == 1 ? random.nextInt(10) : 1 + random.nextInt(9));
                    for (int d = 1; d < integerDigits; d++) {
                        text.append(random.nextInt(10));
                    }
                    text.append('.');
                    for (int d = 0; d < fractionDigits; d++) {
                        text.append(random.nextInt(4) == 0 ? 0 : random.nextInt(10));
                    }
                    numbers.add(text.toString());
                }
            }
        }
        NumberScan scan = new NumberScan();
        for (String number : numbers) {
            for (String after : List.of(",", "]", " ", "e5", "E-2", "5", ".5", "\u00e9", "")) {
                for (int tail = 0; tail <= 20; tail++) {
                    String text = number + after + " ".repeat(tail);
                    byte[] bytes = ("[" + text).getBytes(StandardCharsets.UTF_8);
                    int end = scan.json(bytes, 1);
                    String expected = jsonNumberAt(text);
                    if (expected == null) {
                        assertThat(end).as(text).isEqualTo(-1);
                        continue;
                    }
                    boolean integral = !expected.contains(".") && !expected.contains("e") && !expected.contains("E");
                    assertThat(end).as(text).isEqualTo(1 + expected.length());
                    assertThat(Double.doubleToRawLongBits(scan.value())).as(text)
                            .isEqualTo(integral ? Double.doubleToRawLongBits(Long.parseLong(expected)) : parsedBits(expected));
                }
            }
        }
    }

    /**
     * Short numbers (1 to 8 integer digits, 1 to 9 fraction digits, zeros one digit in three, both signs, an exponent one
     * time in eight), each followed by one byte of any value and up to 24 random bytes, so that the words the one-word
     * path loads hold anything after the number: read into an array, at the index given, the same end and the same
     * double as {@link Double#parseDouble}, or the same refusal, and nothing written on a refusal.
     */
    @Test
    void jsonBytesOfShortNumbersFollowedByAnyBytesGiveParseDoublesDoubleAndEnd() {
        SplittableRandom random = new SplittableRandom(12);
        NumberScan scan = new NumberScan();
        double[] into = new double[3];
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            int integerDigits = 1 + random.nextInt(8);
            for (int d = 0; d < integerDigits; d++) {
                text.append(random.nextInt(3) == 0 ? 0 : random.nextInt(10));
            }
            text.append('.');
            for (int d = 0, fractionDigits = 1 + random.nextInt(9); d < fractionDigits; d++) {
                text.append(random.nextInt(3) == 0 ? 0 : random.nextInt(10));
            }
            if (random.nextInt(8) == 0) {
                text.append(random.nextBoolean() ? "e" : "E-").append(random.nextInt(30));
            }
            byte[] number = text.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = new byte[1 + number.length + 1 + random.nextInt(25)];
            bytes[0] = '[';
            System.arraycopy(number, 0, bytes, 1, number.length);
            for (int b = 1 + number.length; b < bytes.length; b++) {
                bytes[b] = (byte) random.nextInt(256);
            }
            String all = new String(bytes, 1, bytes.length - 1, StandardCharsets.ISO_8859_1);
            into[1] = 42;
            int end = scan.json(bytes, 1, into, 1);
            String expected = jsonNumberAt(all);
            if (expected == null || Double.isInfinite(Double.parseDouble(expected))) {  // beyond a double: -1 too
                assertThat(end).as(all).isEqualTo(-1);
                assertThat(into[1]).as(all).isEqualTo(42);
                continue;
            }
            boolean integral = !expected.contains(".") && !expected.contains("e") && !expected.contains("E");  // 00.5 is 0
            assertThat(end).as(all).isEqualTo(1 + expected.length());
            assertThat(Double.doubleToRawLongBits(into[1])).as(all)
                    .isEqualTo(integral ? Double.doubleToRawLongBits(Long.parseLong(expected)) : parsedBits(expected));
            assertThat(into[0]).isZero();
            assertThat(into[2]).isZero();
        }
    }

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /**
     * The text of the number JSON's grammar reads at the start of {@code text}, or null where {@link NumberScan#json}
     * answers -1: no number, or a point or an exponent begun without its digits.
     */
    private static String jsonNumberAt(String text) {
        Matcher number = JSON_NUMBER.matcher(text);
        if (!number.lookingAt()) {
            return null;
        }
        char next = number.end() < text.length() ? text.charAt(number.end()) : ' ';
        boolean pointWithoutDigits = next == '.' && number.group(2) == null && number.group(3) == null;
        boolean exponentWithoutDigits = (next == 'e' || next == 'E') && number.group(3) == null;
        return pointWithoutDigits || exponentWithoutDigits ? null : number.group();
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

    /**
     * Every cell {@code shortCell} reads gives what {@code scan} gives its field's bytes (kind, value, bits); it reads the
     * short forms it is meant for; everything else, and whatever follows, it leaves to the field's own reading.
     */
    @Test
    void csvShortCellsGiveWhatTheFieldsScanGivesAndLeaveEverythingElse() {
        List<String> cells = new ArrayList<>(EDGES);
        cells.addAll(List.of("+1.5", ".5", "-.5", "5.", "-", "", " 1.5", "1.5 ", "00.50", "-00", "007", "\"1.5\"", "1.5e3",
                "1.5E3", "12\"3", "1234567", "12345678", "-1234567.1234567", "1234567.12345678", "0.12345678", "é1"));
        SplittableRandom random = new SplittableRandom(11);
        for (int k = 0; k < 20_000; k++) {
            StringBuilder cell = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int d = random.nextInt(1, 9); d > 0; d--) {
                cell.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextInt(4) > 0) {
                cell.append('.');
                for (int d = random.nextInt(0, 9); d > 0; d--) {
                    cell.append((char) ('0' + random.nextInt(10)));
                }
            }
            cells.add(cell.toString());
        }
        NumberScan fast = new NumberScan();
        NumberScan field = new NumberScan();
        int read = 0;
        for (String cell : cells) {
            for (String after : new String[]{",", ";", "\n", "\r\n", " ,", "e5,", "5", "\"", "x"}) {
                byte delimiter = (byte) (after.equals(";") ? ';' : ',');
                byte[] bytes = ("," + cell + after + "0123456789012345678").getBytes(StandardCharsets.UTF_8);
                int end = fast.shortCell(bytes, 1, delimiter);
                boolean ends = after.equals(",") || after.equals(";") || after.startsWith("\r") || after.startsWith("\n");
                boolean meant = ends && cell.matches("-?[0-9]{1,7}(\\.[0-9]{1,7})?");
                assertThat(end >= 0).as("'%s' then '%s'", cell, after).isEqualTo(meant);
                if (end < 0) {
                    continue;
                }
                read++;
                assertThat(end).isEqualTo(1 + cell.length());
                int kind = field.scan(bytes, 1, end);
                assertThat(fast.kind).as(cell).isEqualTo(kind);
                if (kind == NumberScan.INTEGER) {
                    assertThat(fast.longValue).as(cell).isEqualTo(field.longValue);
                } else {
                    assertThat(Double.doubleToRawLongBits(fast.doubleValue)).as(cell)
                            .isEqualTo(Double.doubleToRawLongBits(field.doubleValue)).isEqualTo(parsedBits(cell));
                }
            }
        }
        assertThat(read).isGreaterThan(20_000);
    }
}
