package dev.backprop.model.web;

import dev.backprop.model.ModelService;
import dev.backprop.model.Predictions;
import dev.backprop.platform.RequestBodyLimitsFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /models/{id}/predict} of the two common bodies — JSON {@code {"instances": [[…], …]}} that
 * {@link InstancesScan} reads, and little-endian float32 rows — answered without Spring MVC's dispatch, with the same
 * {@link ModelService} calls and the same JSON as {@link PredictionController}.
 *
 * <p>Why: a single-row predict spent about 70% of its request thread in Spring MVC's handler adapter, mostly outside
 * the controller (argument resolution 24%, the answer's writing through content negotiation 22%, bench/NOTES.md),
 * while a bare Tomcat servlet answers the same POST at 20 times the rate.
 *
 * <p>It runs after Spring Security's chain (the key, the tenant, the role, cross-site checks and the rate limit have
 * all applied) and after {@code RequestBodyLimitsFilter} (the body's size, read timeout and upload slot apply to the
 * read here). Whatever it does not answer goes on to the controller unchanged, with the body it has read replayed (or
 * the same failure of its read): another path, content type, query string (a threshold), {@code Accept} header or a
 * chunked body, a body the scan leaves to Jackson, a model the scan's rows do not fit, and every error — so each
 * 4xx is still the controller's and {@code ProblemHandler}'s, word for word.
 */
@Component
// after RequestBodyLimitsFilter (-90), itself after Spring Security's chain (-100)
@Order(-80)
class LeanPredictFilter extends OncePerRequestFilter {

    /** The controller's mapping, which {@code http.server.requests} tags its {@code uri} with. */
    static final String PATTERN = "/models/{id}/predict";

    private static final String PREFIX = "/models/";
    private static final String SUFFIX = "/predict";
    private static final int UUID_LENGTH = 36;

    /**
     * A web slice test of another controller ({@code @WebMvcTest}) has filters but no {@link ModelService}; there every
     * request goes on to the controllers.
     */
    private final ObjectProvider<ModelService> modelServices;
    /** Looked up at the first request, not at each. */
    private volatile Optional<ModelService> models;
    private final ObjectWriter answers;
    private final LongAdder answered = new LongAdder();

    LeanPredictFilter(ObjectProvider<ModelService> modelServices, JsonMapper mapper) {
        this.modelServices = modelServices;
        this.answers = mapper.writerFor(PredictResponse.class);
    }

    private Optional<ModelService> models() {
        Optional<ModelService> found = models;
        if (found == null) {
            found = Optional.ofNullable(modelServices.getIfAvailable());
            models = found;
        }
        return found;
    }

    /** How many predicts this path has answered (the tests' proof that it, not the controller, did). */
    long answered() {
        return answered.sum();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Body kind = "POST".equals(request.getMethod()) && request.getQueryString() == null
                && request.getContentLengthLong() >= 0 && acceptsJson(request.getHeader("Accept"))
                ? Body.of(request.getContentType()) : null;
        UUID id = kind == null ? null : modelId(request.getRequestURI(), request.getContextPath().length());
        ModelService models = id == null ? null : models().orElse(null);
        if (models == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = readBody(in, request.getContentLengthLong());
        } catch (IOException e) {
            chain.doFilter(new ReplayedBody(request, null, e), response);
            return;
        }
        Predictions predictions;
        try {
            predictions = kind == Body.FLOAT32 ? models.predictFloat32(id, body, null) : scanned(models, id, body);
        } catch (RuntimeException e) {
            predictions = null;  // the controller meets the same problem and answers it as it always did
        }
        if (predictions == null) {
            chain.doFilter(new ReplayedBody(request, body, null), response);
            return;
        }
        byte[] json = answers.writeValueAsBytes(PredictResponse.of(id, predictions));
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(PATTERN));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        answered.increment();
    }

    /**
     * The body, read into one array of its declared length when it has one that fits an array: {@code readAllBytes}
     * reads a 400 KB body in 8 KB pieces and copies them into the array it returns, a second copy of every byte and
     * some fifty arrays a request. What it returns is what {@code readAllBytes} returns: every byte up to the end of
     * the stream (fewer than declared when the stream ends early).
     */
    static byte[] readBody(InputStream in, long declaredLength) throws IOException {
        byte[] whole = RequestBodyLimitsFilter.takeWholeBody(in);
        if (whole != null) {
            return whole;  // a body over 64 KB, already read by the limits filter: taken as it is, not copied again
        }
        if (declaredLength < 0 || declaredLength > MAX_ARRAY_BYTES) {
            return in.readAllBytes();
        }
        byte[] body = new byte[(int) declaredLength];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
            return java.util.Arrays.copyOf(body, read);
        }
        int next = in.read();
        if (next < 0) {
            return body;
        }
        // more than declared (not from Tomcat, which ends the stream at Content-Length): all of it, as readAllBytes
        byte[] rest = in.readAllBytes();
        byte[] all = java.util.Arrays.copyOf(body, body.length + 1 + rest.length);
        all[body.length] = (byte) next;
        System.arraycopy(rest, 0, all, body.length + 1, rest.length);
        return all;
    }

    /** The largest body read into an array of its declared length; longer ones (refused by the limits) as they come. */
    private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

    /** The predictions of a JSON body the scan reads and whose rows fit the model, else null. */
    private static Predictions scanned(ModelService models, UUID id, byte[] body) {
        InstancesScan.Matrix rows = InstancesScan.scan(body);
        if (rows == null) {
            return null;
        }
        Optional<Predictions> answered = models.predictRows(id, rows.values(), rows.rows(), rows.width(), null);
        return answered.orElse(null);
    }

    /** The bodies this path reads, by their exact {@code Content-Type}; anything else is the controller's. */
    private enum Body {
        JSON, FLOAT32;

        static Body of(String contentType) {
            if (contentType == null) {
                return null;
            }
            if (contentType.equalsIgnoreCase("application/json") || contentType.equalsIgnoreCase("application/json;charset=UTF-8")
                    || contentType.equalsIgnoreCase("application/json; charset=UTF-8")) {
                return JSON;
            }
            return contentType.equalsIgnoreCase("application/octet-stream") ? FLOAT32 : null;
        }
    }

    /** No {@code Accept}, or one that the controller answers with JSON whatever else it would weigh. */
    private static boolean acceptsJson(String accept) {
        return accept == null || accept.equals("*/*") || accept.equals("application/json");
    }

    /**
     * The model id of exactly {@code /models/<canonical UUID>/predict}, else null: an id in another form, a trailing
     * slash, an encoded character or a path parameter is left to Spring MVC's matching and conversion.
     */
    static UUID modelId(String uri, int contextLength) {
        int start = contextLength + PREFIX.length();
        if (uri.length() != start + UUID_LENGTH + SUFFIX.length() || !uri.startsWith(PREFIX, contextLength)
                || !uri.startsWith(SUFFIX, start + UUID_LENGTH)) {
            return null;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = uri.charAt(start + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return null;
            }
        }
        return UUID.fromString(uri.substring(start, start + UUID_LENGTH));
    }

    /** The request as it came, its body read again from the bytes this path read, or failing as their read failed. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final ServletInputStream stream;

        ReplayedBody(HttpServletRequest request, byte[] body, IOException failure) {
            super(request);
            this.stream = new Replay(body, failure);
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }
    }

    /** A body in memory, or a read that fails with the first read's failure (as {@code RequestBodyLimitsFilter}'s do). */
    private static final class Replay extends ServletInputStream {
        private final ByteArrayInputStream bytes;
        private final IOException failure;

        Replay(byte[] body, IOException failure) {
            this.bytes = new ByteArrayInputStream(body == null ? new byte[0] : body);
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return failure == null && bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("a replayed body is read synchronously");
        }
    }
}
