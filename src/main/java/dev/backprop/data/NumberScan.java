package dev.backprop.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Recognizes and parses a decimal number in UTF-8 bytes in one pass, without a regular expression:
 * {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, an integer of up to 18 digits as a {@code long}, any
 * other number as the double nearest to it. Reused for every field of a file, so not thread-safe.
 *
 * <p>Most numbers in a data file have at most 15 significant digits and no exponent; for those the
 * significand and the power of ten are both exact doubles and one IEEE division rounds correctly
 * (Clinger's fast path, 1990). The rest go to FastDoubleParser (Lemire's algorithm, 2021), exact too.
 * {@link #exactDecimal} takes the same fast path on a JSON number's characters (the predict body's numbers).
 */
public final class NumberScan {

    /** Not a number. */
    static final int NONE = 0;
    /** An integer: {@link #longValue}. */
    static final int INTEGER = 1;
    /** A decimal: {@link #doubleValue} (infinite when it overflows). */
    static final int DECIMAL = 2;

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    long longValue;
    double doubleValue;

    /** Classifies bytes {@code [from, to)}, already trimmed, and leaves the value in a field. */
    int scan(byte[] bytes, int from, int to) {
        int i = from;
        if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
            i++;
        }
        boolean negative = from < to && bytes[from] == '-';
        long significand = 0;
        int digits = 0;
        int intDigits = 0;
        while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
            significand = significand * 10 + (bytes[i] - '0');
            i++;
            intDigits++;
        }
        digits = intDigits;
        int fractionDigits = 0;
        boolean point = false;
        if (i < to && bytes[i] == '.') {
            point = true;
            i++;
            while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
                if (digits < 19) {
                    significand = significand * 10 + (bytes[i] - '0');
                }
                i++;
                digits++;
                fractionDigits++;
            }
        }
        if (intDigits + fractionDigits == 0) {
            return NONE;
        }
        boolean exponent = false;
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            exponent = true;
            i++;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return NONE;
            }
        }
        if (i != to) {
            return NONE;
        }
        if (!point && !exponent && intDigits <= 18) {
            longValue = negative ? -significand : significand;
            return INTEGER;
        }
        double fast = exponent || digits > MAX_EXACT_DIGITS ? Double.NaN : clinger(significand, -fractionDigits, negative);
        doubleValue = Double.isNaN(fast) ? JavaDoubleParser.parseDouble(bytes, from, to - from) : fast;
        return DECIMAL;
    }

    /** Longer JSON numbers are left to the caller's own parser (Jackson's, whose length limit and message then apply). */
    private static final int MAX_JSON_NUMBER_LENGTH = 64;

    /**
     * Reads the JSON number that starts at {@code bytes[from]} (the grammar
     * {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}) in one pass and leaves its value in {@link #value()}: for a
     * decimal (a fraction or an exponent) the double {@link Double#parseDouble} reads from the same text, by Clinger's
     * fast path when it has at most 15 significant digits and a power of ten within ±22, else by FastDoubleParser; for
     * an integer its exact value.
     *
     * @return the index after the number; -1 when no JSON number starts there, or it is an integer of more than 15
     *         digits (which a JSON reader keeps as an integer), longer than 64 bytes, or beyond a double's range
     */
    public int json(byte[] bytes, int from) {
        int end = json(bytes, from, scratch, 0);
        if (end >= 0) {
            doubleValue = scratch[0];
        }
        return end;
    }

    /** Where {@link #json(byte[], int)} puts the value it reads on its way to {@link #doubleValue}. */
    private final double[] scratch = new double[1];

    /**
     * {@link #json(byte[], int)} with the value written to {@code into[index]} (nothing written when it answers -1).
     * Why an array: a predict body's scan stores every value there anyway, and a value through a field is a store and
     * a load more for each of a body's 50,000 numbers.
     *
     * @return the index after the number; -1 as {@link #json(byte[], int)}
     */
    public int json(byte[] bytes, int from, double[] into, int index) {
        int end = wordDecimal(bytes, from, into, index);
        return end >= 0 ? end : longerJson(bytes, from, into, index);
    }

    /** {@link #json(byte[], int, double[], int)} of every number one word does not hold, out of its callers' loops. */
    private int longerJson(byte[] bytes, int from, double[] into, int index) {
        int end = shortDecimal(bytes, from);
        if (end < 0) {
            end = anyJson(bytes, from);
        }
        if (end >= 0) {
            into[index] = doubleValue;
        }
        return end;
    }

    /**
     * The commonest predict number in one word: {@code -?(0|[1-9]\d*)\.\d+} of at most six digits, whose point and
     * the byte that ends it (neither a digit nor an exponent) both lie in the eight bytes after its sign: t4.csv's
     * {@code -1.2345}, and the {@code 0.062} or {@code 1.5} that json.dumps writes for them. The point and the end are
     * the word's first two non-digits (from {@link #notDigits}, exact for every byte); the digits either side are one
     * word, the second load (one byte further) filling in from the point up, and one conversion gives their value:
     * about half the instructions of {@link #shortDecimal}'s two words, which is what bounds the scan of a body's
     * numbers. The value is the one {@link #json}'s general loop gives: the same significand divided by the same
     * {@code 10^fraction digits} (Clinger's exact fast path: at most six digits, a power of ten ≤ 10⁵), its sign bit
     * set for a minus ({@code -0.0} stays -0.0).
     *
     * @return the index after the number, with its value in {@code into[index]}; -1 when the bytes are anything else,
     *         or lie within 10 bytes of the array's end (the longer paths then read them)
     */
    private static int wordDecimal(byte[] bytes, int from, double[] into, int index) {
        if (from > bytes.length - 10) {
            return -1;
        }
        int minus = ((bytes[from] & 0xFF ^ '-') - 1) >>> 31;  // 1 for a minus sign, without a branch
        int start = from + minus;
        long word = (long) EIGHT_BYTES.get(bytes, start);
        long nextWord = (long) EIGHT_BYTES.get(bytes, start + 1);
        long notDigits = notDigits(word);
        int point = Long.numberOfTrailingZeros(notDigits) >>> 3;
        int end = Long.numberOfTrailingZeros(notDigits & (notDigits - 1)) >>> 3;  // 8 when the word has no second
        if (point == 0 | end > 7 | end < point + 2 || (byte) (word >>> (8 * point)) != '.'
                || (byte) ((word >>> (8 * end)) | 0x20) == 'e' || (point > 1 & (byte) word == '0')) {
            return -1;
        }
        long below = (1L << (8 * point)) - 1;
        long digits = (word & below) | (nextWord & ~below);
        double magnitude = (double) digitsValue(digits, end - 1) / POWERS_OF_TEN[end - point - 1];
        into[index] = Double.longBitsToDouble(Double.doubleToRawLongBits(magnitude) | (long) minus << 63);  // ±, as -magnitude
        return start + end;
    }

    /**
     * The high bit of each byte of a word that is not an ASCII digit, exact for every byte: each byte's low seven bits
     * are compared with {@code '0'} and {@code ':'} by adding what carries them into its high bit (no carry leaves the
     * byte), and a byte with its own high bit set is no digit either.
     */
    private static long notDigits(long word) {
        long low = word & 0x7F7F_7F7F_7F7F_7F7FL;
        long atLeastZero = low + 0x5050_5050_5050_5050L;
        long pastNine = low + 0x4646_4646_4646_4646L;
        return (~atLeastZero | pastNine | word) & 0x8080_8080_8080_8080L;
    }

    /**
     * {@link #json} for every number the short path does not read, a method of its own so that {@code json} stays small
     * enough for the JIT to inline into a caller's loop.
     */
    private int anyJson(byte[] bytes, int from) {
        int end = bytes.length;
        int i = from;
        boolean negative = i < end && bytes[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end) {
            return -1;
        }
        long significand = 0;
        int digits = 0;  // significant digits, leading zeros not counted
        byte c = bytes[i];
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            do {
                if (++digits <= 19) {
                    significand = significand * 10 + (c - '0');
                }
                i++;
            } while (i < end && (c = bytes[i]) >= '0' && c <= '9');
        } else {
            return -1;
        }
        int scale = 0;
        boolean integral = true;
        if (i < end && bytes[i] == '.') {
            integral = false;
            int first = ++i;
            while (i < end && (c = bytes[i]) >= '0' && c <= '9') {
                if (digits > 0 || c != '0') {
                    if (++digits <= 19) {
                        significand = significand * 10 + (c - '0');
                        scale--;
                    }
                } else {
                    scale--;
                }
                i++;
            }
            if (i == first) {
                return -1;
            }
        }
        if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
            integral = false;
            i++;
            boolean negativeExponent = i < end && bytes[i] == '-';
            if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
                i++;
            }
            int first = i;
            int exponent = 0;
            while (i < end && (c = bytes[i]) >= '0' && c <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (c - '0');
                }
                i++;
            }
            if (i == first) {
                return -1;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i - from > MAX_JSON_NUMBER_LENGTH) {
            return -1;
        }
        if (integral) {
            if (digits > MAX_EXACT_DIGITS) {
                return -1;
            }
            doubleValue = negative ? -significand : significand;
            return i;
        }
        double value = digits > MAX_EXACT_DIGITS ? Double.NaN : clinger(significand, scale, negative);
        if (Double.isNaN(value)) {
            value = JavaDoubleParser.parseDouble(bytes, from, i - from);
            if (Double.isInfinite(value)) {
                return -1;
            }
        }
        doubleValue = value;
        return i;
    }

    /** Eight bytes of an array as one little-endian {@code long}: the byte at the lowest index is the lowest byte. */
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ZEROS = 0x3030_3030_3030_3030L;

    /** Most digits either side of the point that {@link #shortDecimal} reads: one word less a byte for what follows. */
    private static final int SHORT_DIGITS = 7;

    private static final long[] LONG_POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    /**
     * The commonest predict number, {@code -?(0|[1-9]\d{0,6})\.\d{1,7}} followed by neither a digit nor an exponent
     * (t4.csv's {@code -1.2345}, a float's shortest text of a few digits), read eight bytes at a time: each run of digits
     * is found and converted without a branch per digit, so the sign and the lengths, which vary from number to number,
     * cost no mispredicted loop exits. The value is the one {@link #json}'s general loop gives: the same significand
     * (the digits either side of the point, leading zeros adding nothing) and the same division by {@code 10^fraction
     * digits}, Clinger's exact fast path since both are exact doubles (at most 14 digits).
     *
     * @return the index after the number, with its value in {@link #doubleValue}; -1 when the bytes are anything else,
     *         or lie within 17 bytes of the array's end (the general loop then reads them)
     */
    private int shortDecimal(byte[] bytes, int from) {
        if (from > bytes.length - 17) {
            return -1;
        }
        // 1 for a minus sign, else 0, without a branch: the signs of a body's numbers are as good as random
        int minus = ((bytes[from] & 0xFF ^ '-') - 1) >>> 31;
        int integerStart = from + minus;
        long integerWord = (long) EIGHT_BYTES.get(bytes, integerStart);
        int integerDigits = leadingDigits(integerWord);
        if (integerDigits == 0 || integerDigits > SHORT_DIGITS || bytes[integerStart + integerDigits] != '.'
                || (integerDigits > 1 && bytes[integerStart] == '0')) {
            return -1;
        }
        int fractionStart = integerStart + integerDigits + 1;
        long fractionWord = (long) EIGHT_BYTES.get(bytes, fractionStart);
        int fractionDigits = leadingDigits(fractionWord);
        int end = fractionStart + fractionDigits;
        if (fractionDigits == 0 || fractionDigits > SHORT_DIGITS || (bytes[end] | 0x20) == 'e') {
            return -1;
        }
        long significand = digitsValue(integerWord, integerDigits) * LONG_POWERS_OF_TEN[fractionDigits]
                + digitsValue(fractionWord, fractionDigits);
        double magnitude = (double) significand / POWERS_OF_TEN[fractionDigits];
        doubleValue = Double.longBitsToDouble(Double.doubleToRawLongBits(magnitude) | (long) minus << 63);  // ±, as -magnitude
        return end;
    }

    /**
     * How many of a word's bytes, from its lowest, are ASCII digits (8 when all are). A byte {@code b} is not a digit when
     * {@code b - '0'} borrows or {@code b + 0x46} reaches {@code 0x80}; a borrow or carry only moves to higher bytes, and
     * the bytes below the first non-digit are digits, which make neither, so that byte's verdict is exact.
     */
    private static int leadingDigits(long word) {
        long notDigits = ((word - ZEROS) | (word + 0x4646_4646_4646_4646L)) & 0x8080_8080_8080_8080L;
        return Long.numberOfTrailingZeros(notDigits) >>> 3;
    }

    /**
     * The value of the first {@code count} (1 to 8) bytes of a word, ASCII digits with the most significant lowest: they
     * are moved to the top of the word, zero digits below them, then summed in pairs, fours and eights (Lemire's
     * eight-digit conversion).
     */
    private static long digitsValue(long word, int count) {
        long digits = (word - ZEROS) << (8 * (8 - count));
        digits = (digits * 10 + (digits >>> 8)) & 0x00FF_00FF_00FF_00FFL;
        digits = (digits * 100 + (digits >>> 16)) & 0x0000_FFFF_0000_FFFFL;
        return (digits * 10_000 + (digits >>> 32)) & 0xFFFF_FFFFL;
    }

    /** The kind ({@link #INTEGER} or {@link #DECIMAL}) of the cell {@link #shortCell} read last. */
    int kind;

    /**
     * A CSV file's commonest cell, read where it lies in the buffer before its field's end is known:
     * {@code -?\d{1,7}} or {@code -?\d{1,7}\.\d{1,7}} directly followed by the delimiter, a line feed or a carriage
     * return (T4's {@code -1.2345,}). Each run of digits is found and converted eight bytes at a time, as
     * {@link #shortDecimal} does. The value is the one {@link #scan} gives the same bytes: an integer's {@code ±digits},
     * a decimal's significand (its digits either side of the point, at most 14) divided by {@code 10^fraction digits}
     * (Clinger's exact fast path), negated by its sign bit as {@code scan} negates it ({@code -0.0} stays -0.0).
     * Anything else (a sign {@code +}, {@code .5}, {@code 5.}, an exponent, more digits, blanks, quotes) is left to the
     * field's own reading.
     *
     * @param from at least 17 bytes before the end of the bytes that belong to the file
     * @return the index of the byte that ends the cell, with its value in {@link #longValue} or {@link #doubleValue}
     *         and its kind in {@link #kind}; -1 when the cell is no such number
     */
    int shortCell(byte[] bytes, int from, byte delimiter) {
        int minus = ((bytes[from] & 0xFF ^ '-') - 1) >>> 31;
        int integerStart = from + minus;
        long integerWord = (long) EIGHT_BYTES.get(bytes, integerStart);
        int integerDigits = leadingDigits(integerWord);
        if (integerDigits == 0 || integerDigits > SHORT_DIGITS) {
            return -1;
        }
        int after = integerStart + integerDigits;
        byte next = bytes[after];
        if (next != '.') {
            if (next != delimiter && next != '\n' && next != '\r') {
                return -1;
            }
            long magnitude = digitsValue(integerWord, integerDigits);
            longValue = minus == 0 ? magnitude : -magnitude;
            kind = INTEGER;
            return after;
        }
        int fractionStart = after + 1;
        long fractionWord = (long) EIGHT_BYTES.get(bytes, fractionStart);
        int fractionDigits = leadingDigits(fractionWord);
        int end = fractionStart + fractionDigits;
        byte last = bytes[end];
        if (fractionDigits == 0 || fractionDigits > SHORT_DIGITS || (last != delimiter && last != '\n' && last != '\r')) {
            return -1;
        }
        long significand = digitsValue(integerWord, integerDigits) * LONG_POWERS_OF_TEN[fractionDigits]
                + digitsValue(fractionWord, fractionDigits);
        double magnitude = (double) significand / POWERS_OF_TEN[fractionDigits];
        doubleValue = Double.longBitsToDouble(Double.doubleToRawLongBits(magnitude) | (long) minus << 63);
        kind = DECIMAL;
        return end;
    }

    /** The value of the number {@link #json} read last. */
    public double value() {
        return doubleValue;
    }

    /** Significant digits up to which a decimal's significand is an exact double (10¹⁵ < 2⁵³). */
    private static final int MAX_EXACT_DIGITS = 15;

    /**
     * The double nearest to {@code ±significand × 10^scale}, or NaN when Clinger's fast path cannot decide it: the
     * significand (below 10¹⁵) and {@code 10^|scale|} (up to 10²²) are exact doubles, so one IEEE multiplication or
     * division rounds the exact value correctly.
     */
    private static double clinger(long significand, int scale, boolean negative) {
        if (scale < -(POWERS_OF_TEN.length - 1) || scale > POWERS_OF_TEN.length - 1) {
            return significand == 0 ? (negative ? -0.0 : 0.0) : Double.NaN;
        }
        double value = scale < 0 ? (double) significand / POWERS_OF_TEN[-scale] : (double) significand * POWERS_OF_TEN[scale];
        return negative ? -value : value;
    }

    /**
     * The value of a JSON number's characters {@code [offset, offset + length)} (the grammar
     * {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}, which a JSON parser has already checked) when Clinger's fast
     * path gives it exactly: at most 15 significant digits and a power of ten within ±22 once the exponent and the
     * fraction are combined. NaN otherwise, for the caller's own exact parser, whose answer is then the same double.
     */
    public static double exactDecimal(char[] chars, int offset, int length) {
        int i = offset;
        int end = offset + length;
        boolean negative = i < end && chars[i] == '-';
        if (negative) {
            i++;
        }
        long significand = 0;
        int digits = 0;
        int scale = 0;
        boolean fraction = false;
        for (; i < end; i++) {
            char c = chars[i];
            if (c >= '0' && c <= '9') {
                if (significand != 0 || c != '0') {  // leading zeros are not significant
                    if (++digits > MAX_EXACT_DIGITS) {
                        return Double.NaN;
                    }
                    significand = significand * 10 + (c - '0');
                }
                if (fraction) {
                    scale--;
                }
            } else if (c == '.') {
                fraction = true;
            } else {
                break;
            }
        }
        if (i < end) {  // the exponent: e or E, a sign, digits
            i++;
            boolean negativeExponent = i < end && chars[i] == '-';
            if (i < end && (chars[i] == '-' || chars[i] == '+')) {
                i++;
            }
            int exponent = 0;
            for (; i < end; i++) {
                char c = chars[i];
                if (c < '0' || c > '9' || exponent > 1_000) {
                    return Double.NaN;
                }
                exponent = exponent * 10 + (c - '0');
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        return clinger(significand, scale, negative);
    }
}
