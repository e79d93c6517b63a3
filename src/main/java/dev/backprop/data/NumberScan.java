package dev.backprop.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * Recognizes and parses a decimal number in UTF-8 bytes in one pass, without a regular expression:
 * {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, an integer of up to 18 digits as a {@code long}, any
 * other number as the double nearest to it. Reused for every field of a file, so not thread-safe.
 *
 * <p>Most numbers in a data file have at most 15 significant digits and no exponent; for those the
 * significand and the power of ten are both exact doubles and one IEEE division rounds correctly
 * (Clinger's fast path, 1990). The rest go to FastDoubleParser (Lemire's algorithm, 2021), exact too.
 */
final class NumberScan {

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
        if (!exponent && digits <= 15 && fractionDigits < POWERS_OF_TEN.length) {
            double value = (double) significand / POWERS_OF_TEN[fractionDigits];
            doubleValue = negative ? -value : value;
            return DECIMAL;
        }
        doubleValue = JavaDoubleParser.parseDouble(bytes, from, to - from);
        return DECIMAL;
    }
}
