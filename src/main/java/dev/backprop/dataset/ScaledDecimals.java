package dev.backprop.dataset;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A column of doubles stored as small integers over one power of ten, when that is exact: the decimals a CSV
 * holds (T4's {@code 0.6041}) take 2 bytes a cell instead of 8, so an upload writes, and a job reads, a quarter
 * of the bytes.
 *
 * <p>The column's value {@code v} is stored as the integer {@code k} with {@code v == k / 10^d}, for one scale
 * {@code d} (0 to {@value #MAX_SCALE}) for the whole column, and read back as that quotient. IEEE-754 division is
 * correctly rounded and {@code k} and {@code 10^d} are exact doubles (|k| < 2³¹, 10^d < 2⁵³), so the quotient
 * is one double, the same on every JVM; and the encoder keeps a column only when that quotient has each value's
 * bits exactly. This is the case for a decimal {@code k·10^-d} read by {@code Double.parseDouble}, which
 * rounds the same rational number correctly. A value that is no such quotient ({@code 0.1 + 0.2}, {@code -0.0}
 * whose quotient is {@code +0.0}, an infinity, a NaN other than {@link Double#NaN}) leaves the column as plain
 * doubles.
 *
 * <p>Layout after the column's type byte: the scale (one byte), the width of each integer (1, 2 or 4 bytes), then
 * one big-endian integer a row; the width's smallest value ({@code -128}, {@code -32768}, {@code -2³¹}) stands for
 * a missing cell (NaN), so the integers themselves lie above it.
 */
final class ScaledDecimals {

    /** The largest scale tried: 10¹⁵ < 2⁵³ is an exact double, and a double has at most 17 significant digits. */
    static final int MAX_SCALE = 15;
    private static final double[] POWERS_OF_TEN = new double[MAX_SCALE + 1];
    private static final long CANONICAL_NAN = Double.doubleToRawLongBits(Double.NaN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    static {
        double power = 1;
        for (int d = 0; d <= MAX_SCALE; d++) {
            POWERS_OF_TEN[d] = power;
            power *= 10;
        }
    }

    private ScaledDecimals() {
    }

    /**
     * The values encoded after a type byte at {@code header} bytes' offset (the array's first {@code header} bytes
     * left for the caller), or null when some value is not exactly a {@code k / 10^d} of one scale.
     */
    static byte[] encode(double[] values, int header) {
        int[] integers = new int[values.length];
        int scale = 0;
        double power = 1;
        // the values before the scale last grew were found exact at a smaller scale: they are checked again at the final
        // one, the later ones already were (one multiplication and one division a value in all, not two of each)
        int foundAtFinalScale = 0;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        boolean missing = false;
        for (int i = 0; i < values.length; i++) {
            double value = values[i];
            if (Double.isNaN(value)) {
                if (Double.doubleToRawLongBits(value) != CANONICAL_NAN) {
                    return null;  // the decoder gives back Double.NaN for a missing cell, not this payload
                }
                missing = true;
                continue;
            }
            long integer;
            while ((integer = integerAt(value, power)) == NOT_EXACT) {
                if (++scale > MAX_SCALE) {
                    return null;
                }
                power = POWERS_OF_TEN[scale];
                foundAtFinalScale = i;
                min = Integer.MAX_VALUE;
                max = Integer.MIN_VALUE;
            }
            integers[i] = (int) integer;
            min = Math.min(min, (int) integer);
            max = Math.max(max, (int) integer);
        }
        for (int i = 0; i < foundAtFinalScale; i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            long integer = integerAt(values[i], power);
            if (integer == NOT_EXACT) {
                return null;
            }
            integers[i] = (int) integer;
            min = Math.min(min, (int) integer);
            max = Math.max(max, (int) integer);
        }
        int width = widthFor(min, max);
        if (width == 0) {
            return null;
        }
        byte[] out = new byte[header + 2 + values.length * width];
        out[header] = (byte) scale;
        out[header + 1] = (byte) width;
        int at = header + 2;
        int absent = Integer.MIN_VALUE >> (32 - 8 * width);
        for (int i = 0; i < values.length; i++) {
            int integer = missing && Double.isNaN(values[i]) ? absent : integers[i];
            switch (width) {
                case 1 -> out[at + i] = (byte) integer;
                case 2 -> SHORTS.set(out, at + 2 * i, (short) integer);
                default -> INTS.set(out, at + 4 * i, integer);
            }
        }
        return out;
    }

    /** The values of {@link #encode}, read from {@code offset} (just after the type byte). */
    static double[] decode(byte[] bytes, int offset, int rows) {
        int scale = bytes[offset];
        int width = bytes[offset + 1];
        if (scale < 0 || scale > MAX_SCALE || (width != 1 && width != 2 && width != 4)
                || bytes.length - offset - 2 < (long) rows * width) {
            throw new IllegalStateException("stored decimal column has scale " + scale + ", width " + width + " and "
                    + (bytes.length - offset - 2) + " bytes for " + rows + " rows");
        }
        double power = POWERS_OF_TEN[scale];
        int at = offset + 2;
        double[] values = new double[rows];
        switch (width) {
            case 1 -> {
                for (int i = 0; i < rows; i++) {
                    byte integer = bytes[at + i];
                    values[i] = integer == Byte.MIN_VALUE ? Double.NaN : integer / power;
                }
            }
            case 2 -> {
                for (int i = 0; i < rows; i++) {
                    short integer = (short) SHORTS.get(bytes, at + 2 * i);
                    values[i] = integer == Short.MIN_VALUE ? Double.NaN : integer / power;
                }
            }
            default -> {
                for (int i = 0; i < rows; i++) {
                    int integer = (int) INTS.get(bytes, at + 4 * i);
                    values[i] = integer == Integer.MIN_VALUE ? Double.NaN : integer / power;
                }
            }
        }
        return values;
    }

    private static final long NOT_EXACT = Long.MIN_VALUE;

    /**
     * The integer {@code k} with {@code k / power} having exactly the bits of {@code value}, within an int's range
     * above its smallest value, or {@link #NOT_EXACT}. {@code rint(value * power)} finds it when it exists: the
     * product is within a few units in the last place of {@code k}, far less than ½ for |k| < 2³¹.
     */
    private static long integerAt(double value, double power) {
        double scaled = Math.rint(value * power);
        if (!(Math.abs(scaled) < Integer.MAX_VALUE)) {
            return NOT_EXACT;
        }
        long integer = (long) scaled;
        // the bits, not ==: -0.0 == 0.0, yet it would come back as +0.0
        return Double.doubleToRawLongBits(integer / power) == Double.doubleToRawLongBits(value) ? integer : NOT_EXACT;
    }

    /** The fewest bytes holding every integer from min to max above the width's smallest value; 0 for none. */
    private static int widthFor(int min, int max) {
        if (min > max) {
            return 1;  // every cell missing
        }
        if (min > Byte.MIN_VALUE && max <= Byte.MAX_VALUE) {
            return 1;
        }
        if (min > Short.MIN_VALUE && max <= Short.MAX_VALUE) {
            return 2;
        }
        return min > Integer.MIN_VALUE ? 4 : 0;
    }
}
