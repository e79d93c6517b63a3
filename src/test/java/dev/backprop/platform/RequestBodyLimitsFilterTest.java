package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.TestProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cap on large bodies counts bodies still arriving, not bodies being parsed or answered: a predict whose 400 KB
 * body is in hand holds no slot while Jackson reads its numbers or its answer is computed (before, 32 wrk connections
 * of 64-row JSON predicts got 503 {@code uploads-busy} for most requests from a cap of 8, every body having arrived).
 */
class RequestBodyLimitsFilterTest {

    private final RequestBodyLimitsFilter filter = new RequestBodyLimitsFilter(
            TestProperties.with(Map.of("backprop.limits.max-concurrent-uploads", "1")), JsonMapper.builder().build());

    private static MockHttpServletRequest large() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/models/m/predict");
        request.setContent(new byte[100_000]);
        request.setContentType("application/octet-stream");
        return request;
    }

    @Test
    void aBodyReadToItsLengthFreesItsSlotWhileItsRequestIsStillAnswered() throws Exception {
        MockHttpServletResponse second = new MockHttpServletResponse();
        filter.doFilter(large(), new MockHttpServletResponse(), (request, response) -> {
            request.getInputStream().readNBytes(100_000);  // as Jackson reads: the declared length, not up to EOF
            filter.doFilter(large(), second, (r, s) -> r.getInputStream().readAllBytes());
        });
        assertThat(second.getStatus()).as(second.getContentAsString()).isEqualTo(200);
    }

    @Test
    void aBodyThatHasArrivedFreesItsSlotWhileItIsStillBeingParsed() throws Exception {
        MockHttpServletResponse second = new MockHttpServletResponse();
        byte[] parsed = new byte[1_000];
        filter.doFilter(large(), new MockHttpServletResponse(), (request, response) -> {
            // A parser a little way into a body whose bytes are all there (Jackson reads 8,000 bytes at a time and
            // parses them before it asks for more): the slot is for clients still sending, not for parsing.
            request.getInputStream().readNBytes(parsed, 0, parsed.length);
            filter.doFilter(large(), second, (r, s) -> r.getInputStream().readAllBytes());
            assertThat(request.getInputStream().readAllBytes()).hasSize(99_000);
        });
        assertThat(second.getStatus()).as(second.getContentAsString()).isEqualTo(200);
    }

    @Test
    void aRequestTakesItsSlotWhenItsBodyIsFirstReadNotWhenItEntersTheFilter() throws Exception {
        MockHttpServletResponse second = new MockHttpServletResponse();
        filter.doFilter(large(), new MockHttpServletResponse(), (request, response) -> {
            // The first request is still in Spring Security's and Spring MVC's dispatch, its body not asked for yet:
            // held from the filter, a slot of 8 made 32 wrk connections of 64-row predicts get 503 uploads-busy.
            filter.doFilter(large(), second, (r, s) -> r.getInputStream().readAllBytes());
            request.getInputStream().readAllBytes();
        });
        assertThat(second.getStatus()).as(second.getContentAsString()).isEqualTo(200);
    }

    @Test
    void aBodyStillArrivingHoldsItsSlot() throws Exception {
        CountDownLatch rest = new CountDownLatch(1);
        SlowRequest slow = new SlowRequest(rest);
        FilterChain reads = (r, s) -> r.getInputStream().readAllBytes();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                filter.doFilter(slow, new MockHttpServletResponse(), reads);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.stream.waiting);
            MockHttpServletResponse second = new MockHttpServletResponse();
            filter.doFilter(large(), second, reads);
            assertThat(second.getStatus()).isEqualTo(503);
        } finally {
            rest.countDown();
        }
        first.get(10, TimeUnit.SECONDS);
        MockHttpServletResponse after = new MockHttpServletResponse();
        filter.doFilter(large(), after, reads);
        assertThat(after.getStatus()).isEqualTo(200);
    }

    @Test
    void aClientGoneMidBodyFailsTheFirstReadNotTheStreamsOpening() throws Exception {
        // Before, readNBytes ran inside getInputStream(), whose IOException Spring answered 500 with an ERROR line.
        MockHttpServletRequest aborted = new MockHttpServletRequest("POST", "/models/m/predict") {
            @Override
            public ServletInputStream getInputStream() {
                return new AbortingStream();
            }
        };
        aborted.setContentType("application/json");
        aborted.addHeader("Content-Length", "100000");
        IOException[] seen = new IOException[1];
        filter.doFilter(new ContentLength(aborted, 100_000), new MockHttpServletResponse(), (request, response) -> {
            ServletInputStream body = request.getInputStream();
            try {
                body.read(new byte[10], 0, 10);
            } catch (IOException e) {
                seen[0] = e;
            }
        });
        assertThat(seen[0]).hasMessage("client went away");
        MockHttpServletResponse after = new MockHttpServletResponse();
        filter.doFilter(large(), after, (r, s) -> r.getInputStream().readAllBytes());
        assertThat(after.getStatus()).as("the aborted body's slot is back").isEqualTo(200);
    }

    /** A request declaring {@code length} bytes of body. */
    private static final class ContentLength extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final long length;

        ContentLength(jakarta.servlet.http.HttpServletRequest request, long length) {
            super(request);
            this.length = length;
        }

        @Override
        public long getContentLengthLong() {
            return length;
        }
    }

    /** 1,000 bytes, then the connection fails. */
    private static final class AbortingStream extends ServletInputStream {
        private int sent;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (sent >= 1_000) {
                throw new IOException("client went away");
            }
            int n = Math.min(length, 1_000 - sent);
            sent += n;
            return n;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }


    /** A 100,000-byte body of which 1,000 bytes have arrived; the rest comes when the latch opens. */
    private static final class SlowRequest extends MockHttpServletRequest {
        final SlowStream stream;

        SlowRequest(CountDownLatch rest) {
            super("POST", "/models/m/predict");
            setContentType("application/octet-stream");
            addHeader("Content-Length", "100000");
            stream = new SlowStream(rest);
        }

        @Override
        public long getContentLengthLong() {
            return 100_000;
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }
    }

    private static final class SlowStream extends ServletInputStream {
        private final CountDownLatch rest;
        private int sent;
        volatile boolean waiting;

        SlowStream(CountDownLatch rest) {
            this.rest = rest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (sent >= 100_000) {
                return -1;
            }
            if (sent >= 1_000) {
                waiting = true;
                try {
                    rest.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = Math.min(length, (sent < 1_000 ? 1_000 : 100_000) - sent);
            sent += n;
            return n;
        }

        @Override
        public boolean isFinished() {
            return sent >= 100_000;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
