package dev.backprop.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Limits what reading request bodies can cost: bodies over {@code backprop.limits.max-request-bytes} get
 * 413 before they are parsed (at once when {@code Content-Length} says so, otherwise as soon as the
 * streamed body passes the limit); a request that has waited {@code body-read-timeout} for its body gets 408; and at
 * most {@code max-concurrent-uploads} bodies over {@value #SMALL_BODY_BYTES} bytes (or of unknown length)
 * are read at once. A large body takes its slot when it is first read, not when its request arrives, and the next one
 * waits up to {@link #SLOT_WAIT} for a slot, then is answered 503 {@code uploads-busy} with {@code Retry-After}. A
 * large body of a declared length up to {@value #WHOLE_BODY_BYTES} bytes (a predict of hundreds of rows) is read whole
 * before its reader sees it, so its slot counts only the time its bytes take to arrive, not the time Jackson takes to
 * parse them.
 *
 * <p>Tomcat reads a body on the request thread, and a client that sends a few bytes every few seconds
 * never trips its per-read timeout: without the deadline and the cap, four such uploads held every request
 * thread and health timed out for a minute (reliability issue).
 */
@Component
// After Spring Security's filter (order -100), whose header writer then covers a 413 like every answer;
// still before any servlet reads a body.
@Order(-90)
public class RequestBodyLimitsFilter extends OncePerRequestFilter {

    /** Bodies up to this size (JSON of a few rows, a cancel) arrive in one or two packets and take no upload slot. */
    static final long SMALL_BODY_BYTES = 65_536;

    /**
     * Large bodies up to this size are read into memory at once, then parsed: a 64-row JSON predict (400 KB) parsed from
     * the stream held its slot for the 5 ms of number parsing, and 32 wrk connections got 503s for most requests from
     * 8 slots. Bounded so that buffered bodies cost at most this per request thread.
     */
    static final int WHOLE_BODY_BYTES = 4 << 20;

    /**
     * How long a large body's first read waits for a slot. A body that has arrived holds one for the moment its bytes
     * are copied (about 0.1 ms for 400 KB), so a wait this long is only ever spent behind slow clients; refused at once,
     * wrk's 32 connections of 64-row predicts on 2 busy cores got 503s from 8 slots whenever more than 8 of them were
     * copying (bench/NOTES.md).
     */
    static final Duration SLOT_WAIT = Duration.ofSeconds(1);

    /** How long a refused body's rest is read and discarded before its connection is closed (Apache httpd: 2 s). */
    static final Duration LINGER = Duration.ofSeconds(2);

    /** How much of a refused body's rest is read and discarded at most: 64 ms of the loopback, 5 s of 100 Mbit/s. */
    static final long LINGER_BYTES = 64L << 20;

    private final long limit;
    private final Duration timeout;
    private final Semaphore uploads;
    private final int maxUploads;
    private final Duration retryAfter;
    private final JsonMapper jsonMapper;

    RequestBodyLimitsFilter(BackpropProperties properties, JsonMapper jsonMapper) {
        this.limit = properties.limits().maxRequestBytes();
        this.timeout = properties.limits().bodyReadTimeout();
        this.maxUploads = properties.limits().maxConcurrentUploads();
        this.uploads = new Semaphore(maxUploads);
        this.retryAfter = properties.jobs().retryAfter();
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > limit) {
            // The connection is closed after the answer, so the client stops sending
            response.setHeader("Connection", "close");
            refuse(response, ProblemType.PAYLOAD_TOO_LARGE, new PayloadTooLargeException(limit).getMessage());
            lingerOnUnreadBody(request, response);
            return;
        }
        boolean large = length > SMALL_BODY_BYTES || length < 0 && request.getHeader("Transfer-Encoding") != null;
        Slot slot = large ? new Slot(uploads) : null;
        LimitedRequest limited = new LimitedRequest(request, limit, length, slot);
        try {
            chain.doFilter(limited, response);
            if (limited.pastLimit()) {
                lingerOnUnreadBody(request, response);
            }
        } catch (UploadsBusyException e) {
            // Spring's ProblemHandler answers it for every controller; this is for a reader outside Spring MVC
            if (response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            response.setHeader("Connection", "close");
            response.setHeader("Retry-After", e.retryAfterSeconds());
            refuse(response, ProblemType.UPLOADS_BUSY, e.getMessage());
        } finally {
            if (slot != null) {
                slot.run();
            }
        }
    }

    /**
     * A large body's upload slot: taken at the body's first read (held from the filter on, through Spring Security's
     * and Spring MVC's dispatch, it made 32 connections of 64-row predicts get 503s from 8 slots), given back once: as
     * soon as the body is read (its declared length is in, or the stream ended), else when the request ends. The cap
     * is on bodies being read; a predict whose body is in hand computing its answer holds none.
     */
    private static final class Slot implements Runnable {
        private final Semaphore uploads;
        private final AtomicBoolean taken = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        Slot(Semaphore uploads) {
            this.uploads = uploads;
        }

        /**
         * Waits up to {@link #SLOT_WAIT} for a slot; false if none came. An interrupted wait fails the read as an
         * {@link InterruptedIOException}, which says the interrupt to whoever reads (only the job runner and
         * {@code ParallelBlocks} touch threads, {@code ArchitectureTest}).
         */
        boolean take() throws InterruptedIOException {
            try {
                taken.set(uploads.tryAcquire(SLOT_WAIT.toNanos(), TimeUnit.NANOSECONDS));
            } catch (InterruptedException e) {
                InterruptedIOException failure = new InterruptedIOException("interrupted while waiting for an upload slot");
                failure.initCause(e);
                throw failure;
            }
            return taken.get();
        }

        @Override
        public void run() {
            if (taken.get() && released.compareAndSet(false, true)) {
                uploads.release();
            }
        }
    }

    /**
     * Sends the answer already written, then reads and discards what the client still sends of a body it will not get
     * read, for at most {@link #LINGER} and {@link #LINGER_BYTES}, before Tomcat closes the connection. A server that
     * closes with unread bytes in its socket makes the kernel reset the connection, and a client still writing its body
     * then never reads the answer (RFC 9112 §9.6, "Tear-down"; Apache httpd's and nginx's lingering close do the same).
     * Java's HttpClient failed 2 of 300 such requests from two threads with "header parser received no bytes", and a
     * client that reads only after sending failed every time. The reading takes an upload slot, if one is free at
     * once: a client that sends slowly holds it no longer than Tomcat's connection timeout allows one read to wait, and
     * no more lingering reads run at once than bodies are read.
     */
    private void lingerOnUnreadBody(HttpServletRequest request, HttpServletResponse response) {
        if (!uploads.tryAcquire()) {
            return;
        }
        try {
            response.flushBuffer();
            ServletInputStream body = request.getInputStream();
            byte[] discarded = new byte[65_536];
            long deadline = System.nanoTime() + LINGER.toNanos();
            long read = 0;
            for (int n; read < LINGER_BYTES && System.nanoTime() < deadline
                    && (n = body.read(discarded)) >= 0; ) {
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the container will not give the stream again: nothing left to linger for
        } finally {
            uploads.release();
        }
    }

    private void refuse(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // Written, not serialized into the stream: Jackson would close it, and Tomcat then closes the request's body
        // too, which a refused body's lingering read still needs.
        response.getOutputStream().write(jsonMapper.writeValueAsBytes(ProblemHandler.problem(type, detail, List.of())));
    }

    /** A request whose body stream fails past the size limit or the time it may wait for its body. */
    private final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private final long length;
        /** The body's upload slot, or null for a small body. */
        private final Slot slot;
        private ServletInputStream stream;
        private LimitedStream limitedStream;

        LimitedRequest(HttpServletRequest request, long limit, long length, Slot slot) {
            super(request);
            this.limit = limit;
            this.length = length;
            this.slot = slot;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                try {
                    if (slot != null && !slot.take()) {
                        // Failing the first read rather than getInputStream(), as readWhole does, for the same reason
                        stream = new FailedBody(new UploadsBusyException(maxUploads, retryAfter));
                        return stream;
                    }
                } catch (InterruptedIOException e) {
                    stream = new FailedBody(e);
                    return stream;
                }
                Runnable bodyRead = slot != null ? slot : () -> { };
                LimitedStream limited = new LimitedStream(super.getInputStream(), limit, length, bodyRead);
                limitedStream = limited;
                boolean whole = length > SMALL_BODY_BYTES && length <= WHOLE_BODY_BYTES;
                stream = whole ? readWhole(limited, (int) length) : limited;
            }
            return stream;
        }

        /** Whether the body was refused for passing the limit as it streamed in, its rest unread. */
        boolean pastLimit() {
            return limitedStream != null && limitedStream.read > limit;
        }
    }

    /**
     * Reads a body whole. A read that fails (the client went away, the limit or the time ran out) fails the reader's
     * first read, not {@code getInputStream()}: Spring answers a failing read as it always did, a failing
     * {@code getInputStream()} it does not (a client aborting mid-body gave a 500 and an ERROR line).
     */
    private static ServletInputStream readWhole(LimitedStream limited, int length) {
        try {
            // into one array of the declared length: readNBytes(length) reads 8 KB pieces and copies them together
            byte[] body = new byte[length];
            int read = limited.readNBytes(body, 0, length);
            return new WholeBody(read == length ? body : java.util.Arrays.copyOf(body, read));
        } catch (IOException e) {
            return new FailedBody(e);
        }
    }

    /** A body read whole before its reader came: read synchronously, never through a {@link ReadListener}. */
    private abstract static class ReadBody extends ServletInputStream {

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("a body read whole is read synchronously");
        }
    }

    /** A body whose read failed: every read throws that failure. */
    private static final class FailedBody extends ReadBody {
        private final IOException failure;

        FailedBody(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }

        @Override
        public boolean isFinished() {
            return false;
        }
    }

    /**
     * The whole body of a request's stream that this filter has already read into memory and nobody has read from
     * yet, handed over as it is (no copy), or null for any other stream: a reader that wants the body as one array
     * (the lean predict path) takes it here instead of copying it out of the stream. The stream then reads as empty.
     */
    public static byte[] takeWholeBody(java.io.InputStream in) {
        if (in instanceof WholeBody whole && whole.bytes.available() == whole.body.length) {
            whole.bytes.skip(whole.body.length);
            return whole.body;
        }
        return null;
    }

    /** A body already read into memory: the slot it held is back before its reader parses the first byte. */
    private static final class WholeBody extends ReadBody {
        private final byte[] body;
        private final ByteArrayInputStream bytes;

        WholeBody(byte[] body) {
            this.body = body;
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }
    }

    private final class LimitedStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long limit;
        /** The declared length, or -1. */
        private final long length;
        private final Runnable bodyRead;
        private long read;
        private long waitedNanos;

        LimitedStream(ServletInputStream delegate, long limit, long length, Runnable bodyRead) {
            this.delegate = delegate;
            this.limit = limit;
            this.length = length;
            this.bodyRead = bodyRead;
        }

        @Override
        public int read() throws IOException {
            long start = System.nanoTime();
            int b = delegate.read();
            count(b >= 0 ? 1 : -1, start);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            long start = System.nanoTime();
            int n = delegate.read(buffer, offset, length);
            count(n, start);
            return n;
        }

        /**
         * Counts the bytes and the time spent waiting for them. Only the waiting counts: parsing a large body on a
         * busy machine takes long too, and that is not the client's doing. Tomcat's connection timeout bounds a
         * single read in which nothing arrives at all.
         */
        private void count(int n, long start) throws IOException {
            if (n < 0 || length >= 0 && read + n >= length) {
                bodyRead.run();
            }
            read += Math.max(0, n);
            if (read > limit) {
                throw new PayloadTooLargeException(limit);
            }
            waitedNanos += System.nanoTime() - start;
            if (waitedNanos > timeout.toNanos()) {
                throw new BodyReadTimeoutException(timeout);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
