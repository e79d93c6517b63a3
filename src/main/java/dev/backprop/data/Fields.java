package dev.backprop.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The fields of an RFC 4180 file, straight from its bytes: records end at LF, CRLF or CR; a field in
 * double quotes may hold delimiters, line breaks and doubled quotes; a quote inside an unquoted field is
 * taken as it is (as commons-csv does). A field that lies within the buffer is handed over where it
 * lies; only quoted fields and fields across a buffer boundary are copied.
 */
final class Fields {

    /** A quoted field that does not end well. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** Receives each field of a record. */
    @FunctionalInterface
    interface Sink {
        void field(int index, byte[] bytes, int from, int to) throws IOException;
    }

    /**
     * Reads an unquoted field where it lies in the buffer, when it is a number it knows, before its end is looked for:
     * one pass over its bytes instead of two ({@link NumberScan#shortCell}).
     */
    @FunctionalInterface
    interface ShortCells {
        /**
         * @param from at least {@link #SHORT_CELL_BYTES} bytes before the end of the buffer's bytes
         * @return the index of the byte that ends the field (a delimiter, a line feed or a carriage return), or -1 to
         *         leave the field to {@link Sink#field}
         */
        int read(int index, byte[] bytes, int from);
    }

    /** The bytes a {@link ShortCells} may look at: 8 of a sign and integer digits, 8 of a point and fraction digits, 1 after. */
    static final int SHORT_CELL_BYTES = 17;

    private final InputStream input;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean end;
    private byte[] scratch = new byte[256];
    private int scratchLength;
    private long line = 1;
    /** Bytes this reader may still take from its input: a segment of a file ends where the next one starts. */
    private long budget;
    private long consumed;
    byte delimiter = ',';

    Fields(InputStream input, int bufferSize) {
        this(input, bufferSize, Long.MAX_VALUE);
    }

    Fields(InputStream input, int bufferSize, long maxBytes) {
        this.input = input;
        this.buffer = new byte[bufferSize];
        this.budget = maxBytes;
    }

    /** How far into its input the next record starts, in bytes. */
    long offset() {
        return consumed - (limit - position);
    }

    /** The line the next record starts on, 1-based. */
    long line() {
        return line;
    }

    private boolean fill() throws IOException {
        if (end) {
            return false;
        }
        position = 0;
        limit = 0;
        while (limit == 0) {
            int read = budget == 0 ? -1 : input.read(buffer, 0, (int) Math.min(buffer.length, budget));
            if (read < 0) {
                end = true;
                return false;
            }
            limit = read;
        }
        budget -= limit;
        consumed += limit;
        return true;
    }

    private boolean available() throws IOException {
        return position < limit || fill();
    }

    void skipByteOrderMark() throws IOException {
        if (available() && limit - position >= 3 && buffer[position] == (byte) 0xEF && buffer[position + 1] == (byte) 0xBB
                && buffer[position + 2] == (byte) 0xBF) {
            position += 3;
        }
    }

    /**
     * The delimiter of the first lines in the buffer: of comma, semicolon, tab and pipe, the one found
     * the same number of times (outside quotes) on every complete line, most often on the header; else
     * the one most often on the header; else comma (a file of one column).
     */
    Delimiter sniff(int lines) throws IOException {
        available();
        Delimiter[] candidates = Delimiter.values();
        int[][] counts = new int[lines][candidates.length];
        int complete = 0;
        boolean quoted = false;
        for (int i = position; i < limit && complete < lines; i++) {
            byte b = buffer[i];
            if (b == '"') {
                quoted = !quoted;
            } else if (!quoted && (b == '\n' || b == '\r')) {
                if (b == '\r' && i + 1 < limit && buffer[i + 1] == '\n') {
                    i++;
                }
                complete++;
            } else if (!quoted) {
                for (int c = 0; c < candidates.length; c++) {
                    if (b == candidates[c].character()) {
                        counts[complete][c]++;
                    }
                }
            }
        }
        int lastComplete = Math.max(1, complete);
        Delimiter best = null;
        Delimiter mostOnHeader = null;
        for (int c = 0; c < candidates.length; c++) {
            if (counts[0][c] == 0) {
                continue;
            }
            boolean consistent = true;
            for (int l = 1; l < lastComplete; l++) {
                consistent &= counts[l][c] == counts[0][c];
            }
            if (consistent && (best == null || counts[0][c] > counts[0][best.ordinal()])) {
                best = candidates[c];
            }
            if (mostOnHeader == null || counts[0][c] > counts[0][mostOnHeader.ordinal()]) {
                mostOnHeader = candidates[c];
            }
        }
        return best != null ? best : mostOnHeader != null ? mostOnHeader : Delimiter.COMMA;
    }

    /**
     * Reads one record, handing each field to {@code sink}.
     *
     * @return the number of fields, or -1 at the end of the input
     * @throws MalformedException for a quoted field that is not closed or is followed by other characters
     */
    int record(Sink sink) throws IOException {
        return record(sink, null);
    }

    /**
     * Reads one record as {@link #record(Sink)} does, giving each unquoted field to {@code shortCells} first (if not null);
     * {@code sink} gets only the fields it leaves.
     */
    int record(Sink sink, ShortCells shortCells) throws IOException {
        if (!available()) {
            return -1;
        }
        int index = 0;
        while (true) {
            if (!available()) {
                sink.field(index, scratch, 0, 0);  // after a final delimiter: an empty last field
                return index + 1;
            }
            if (buffer[position] == '"') {
                position++;
                readQuoted();
                sink.field(index++, scratch, 0, scratchLength);
                if (available()) {
                    byte next = buffer[position];
                    if (next != delimiter && next != '\n' && next != '\r') {
                        throw new MalformedException("invalid char between encapsulated token and delimiter at line " + line);
                    }
                }
            } else {
                int start = position;
                int end = shortCells == null || limit - start < SHORT_CELL_BYTES ? -1 : shortCells.read(index, buffer, start);
                if (end >= 0) {
                    position = end;
                    index++;
                } else {
                    byte[] bytes = buffer;
                    int to = scanUnquoted();
                    if (to >= 0) {
                        sink.field(index++, bytes, start, to);
                    } else {
                        sink.field(index++, scratch, 0, scratchLength);
                    }
                }
            }
            if (!available()) {
                return index;
            }
            byte terminator = buffer[position++];
            if (terminator == delimiter) {
                continue;
            }
            if (terminator == '\r' && available() && buffer[position] == '\n') {
                position++;
            }
            line++;
            return index;
        }
    }

    /**
     * Advances over an unquoted field. Returns its end in the buffer, or -1 when it crossed the buffer's end
     * and now lies in the scratch buffer.
     */
    private int scanUnquoted() throws IOException {
        int start = position;
        byte[] bytes = buffer;
        byte separator = delimiter;
        int i = position;
        while (i < limit) {
            byte b = bytes[i];
            if (b == separator || b == '\n' || b == '\r') {
                position = i;
                return i;
            }
            i++;
        }
        scratchLength = 0;
        append(bytes, start, limit);
        position = limit;
        while (fill()) {
            i = 0;
            while (i < limit) {
                byte b = bytes[i];
                if (b == separator || b == '\n' || b == '\r') {
                    append(bytes, 0, i);
                    position = i;
                    return -1;
                }
                i++;
            }
            append(bytes, 0, limit);
            position = limit;
        }
        return -1;
    }

    /** Reads a quoted field (after its opening quote) into the scratch buffer, up to and past its closing quote. */
    private void readQuoted() throws IOException {
        scratchLength = 0;
        while (true) {
            if (!available()) {
                throw new MalformedException("EOF reached before encapsulated token finished");
            }
            int start = position;
            int i = position;
            while (i < limit && buffer[i] != '"') {
                if (buffer[i] == '\n') {
                    line++;
                }
                i++;
            }
            append(buffer, start, i);
            position = i;
            if (i == limit) {
                continue;
            }
            position++;  // the quote
            if (available() && buffer[position] == '"') {
                append(buffer, position, position + 1);
                position++;
                continue;
            }
            return;
        }
    }

    private void append(byte[] bytes, int from, int to) {
        int length = to - from;
        if (scratchLength + length > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratchLength + length, scratch.length * 2));
        }
        System.arraycopy(bytes, from, scratch, scratchLength, length);
        scratchLength += length;
    }
}
