package dev.backprop.model.web;

import dev.backprop.data.NumberScan;

/**
 * Reads the common predict body, {@code {"instances": [[number, …], …]}} in UTF-8 with rows of one width, from its
 * bytes straight into a row-major matrix: no tokens, no character copies, no columns. Anything else — records, a
 * null, a string, a ragged or empty row, an escape, a number outside JSON's grammar or beyond a double, an integer of more than 15 digits, any byte
 * out of place — is not read here: {@link #scan} says so and the caller reads the body with Jackson
 * ({@link PredictBody.Reader}), whose answer (and every 400, with its field and message) is then the only one.
 *
 * <p>Why: Jackson's tokenizer took ~4 ms of CPU for a 64 × 784 body (~38 ns a number, bench/NOTES.md), which caps two
 * cores at ~31,000 rows/s before anything else runs; this scan is one pass over the bytes, and its numbers are
 * {@link NumberScan}'s (Clinger's exact fast path, else FastDoubleParser): the doubles {@link Double#parseDouble}
 * gives for the same text, which is what Jackson gives too.
 */
final class InstancesScan {

    /** The rows read: {@code rows × width} values, row-major, in {@code values} (which may be longer). */
    record Matrix(double[] values, int rows, int width) {
    }

    /**
     * A request thread's matrix is reused by its next request (a 64-row body of 784 features is 400 KB, allocated and
     * zeroed per request otherwise); bodies larger than this get their own.
     */
    private static final int POOLED_VALUES = 1 << 17;

    private static final ThreadLocal<double[]> POOL = ThreadLocal.withInitial(() -> new double[1024]);

    private static final byte[] KEY = "\"instances\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] bytes;
    private final NumberScan numbers = new NumberScan();
    private int at;

    private InstancesScan(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The body's rows when it is exactly {@code {"instances": [[n, …], …]}} (JSON whitespace anywhere between tokens),
     * at least one row, every row as wide as the first and at least one value wide, every value a finite number;
     * null otherwise. The matrix may be the calling thread's pooled buffer: read it before the thread's next scan.
     */
    static Matrix scan(byte[] body) {
        return new InstancesScan(body).matrix();
    }

    private Matrix matrix() {
        if (!skipThen('{') || !skipThen(KEY) || !skipThen(':') || !skipThen('[')) {
            return null;
        }
        double[] values = POOL.get();
        int width = -1;
        int count = 0;
        int rows = 0;
        do {
            if (!skipThen('[')) {
                return null;
            }
            int start = count;
            do {
                skipWhitespace();
                int end = numbers.json(bytes, at);
                if (end < 0) {
                    return null;
                }
                at = end;
                if (count == values.length) {
                    values = java.util.Arrays.copyOf(values, 2 * values.length);
                }
                values[count++] = numbers.value();
            } while (skipThen(','));
            if (!skipThen(']') || (width >= 0 && count - start != width)) {
                return null;
            }
            width = count - start;
            rows++;
        } while (skipThen(','));
        if (!skipThen(']') || !skipThen('}')) {
            return null;
        }
        skipWhitespace();
        if (at != bytes.length) {
            return null;
        }
        if (values.length <= POOLED_VALUES) {
            POOL.set(values);
        }
        return new Matrix(values, rows, width);
    }

    /** Skips JSON whitespace, then takes {@code expected} if it is next. */
    private boolean skipThen(char expected) {
        skipWhitespace();
        if (at < bytes.length && bytes[at] == expected) {
            at++;
            return true;
        }
        return false;
    }

    private boolean skipThen(byte[] expected) {
        skipWhitespace();
        if (!java.util.Arrays.equals(bytes, at, Math.min(bytes.length, at + expected.length), expected, 0, expected.length)) {
            return false;
        }
        at += expected.length;
        return true;
    }

    private void skipWhitespace() {
        while (at < bytes.length) {
            byte b = bytes[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }
}
