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

    /**
     * The body's rows when it is exactly {@code {"instances": [[n, …], …]}} (JSON whitespace anywhere between tokens),
     * at least one row, every row as wide as the first and at least one value wide, every value a finite number;
     * null otherwise. The matrix may be the calling thread's pooled buffer: read it before the thread's next scan.
     *
     * <p>One method with the position in a local: it runs from each number's end to the next number's start, so a
     * field there (as before) put a store and a load on that chain for every number, and the separator is tested where
     * the number ended, json.dumps's {@code ", "} and a compact {@code ","} first, whitespace only when neither.
     */
    static Matrix scan(byte[] bytes) {
        int at = rowsStart(bytes);
        if (at < 0) {
            return null;
        }
        NumberScan numbers = new NumberScan();
        int length = bytes.length;
        double[] values = POOL.get();
        int width = -1;
        int count = 0;
        int rows = 0;
        while (true) {
            at = skipWhitespace(bytes, at);
            if (at == length || bytes[at] != '[') {
                return null;
            }
            int start = count;
            at++;
            while (true) {
                at = skipWhitespace(bytes, at);
                if (count == values.length) {
                    values = java.util.Arrays.copyOf(values, 2 * values.length);
                }
                int end = numbers.json(bytes, at, values, count++);
                if (end < 0) {
                    return null;
                }
                if (end + 1 < length && bytes[end] == ',') {
                    at = bytes[end + 1] == ' ' ? end + 2 : end + 1;  // json.dumps's ", ", a compact ","
                    continue;
                }
                at = skipWhitespace(bytes, end);
                if (at == length || bytes[at] != ',') {
                    break;
                }
                at++;
            }
            if (at == length || bytes[at] != ']' || (width >= 0 && count - start != width)) {
                return null;
            }
            width = count - start;
            rows++;
            at = skipWhitespace(bytes, at + 1);
            if (at == length || bytes[at] != ',') {
                break;
            }
            at++;
        }
        if (at == length || bytes[at] != ']') {
            return null;
        }
        at = skipWhitespace(bytes, at + 1);
        if (at == length || bytes[at] != '}' || skipWhitespace(bytes, at + 1) != length) {
            return null;
        }
        if (values.length <= POOLED_VALUES) {
            POOL.set(values);
        }
        return new Matrix(values, rows, width);
    }

    /** The index after {@code {"instances": [}, JSON whitespace anywhere between them; -1 when the body starts otherwise. */
    private static int rowsStart(byte[] bytes) {
        int at = skipWhitespace(bytes, 0);
        if (at == bytes.length || bytes[at] != '{') {
            return -1;
        }
        at = skipWhitespace(bytes, at + 1);
        if (!java.util.Arrays.equals(bytes, at, Math.min(bytes.length, at + KEY.length), KEY, 0, KEY.length)) {
            return -1;
        }
        at = skipWhitespace(bytes, at + KEY.length);
        if (at == bytes.length || bytes[at] != ':') {
            return -1;
        }
        at = skipWhitespace(bytes, at + 1);
        if (at == bytes.length || bytes[at] != '[') {
            return -1;
        }
        return at + 1;
    }

    /** The index of the first byte from {@code at} that is not JSON whitespace, or the body's length. */
    private static int skipWhitespace(byte[] bytes, int at) {
        while (at < bytes.length) {
            byte b = bytes[at];
            if (b > ' ' || (b != ' ' && b != '\n' && b != '\r' && b != '\t')) {
                return at;
            }
            at++;
        }
        return at;
    }
}
