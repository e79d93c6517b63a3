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
