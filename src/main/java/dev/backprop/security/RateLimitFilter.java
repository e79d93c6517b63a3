package dev.backprop.security;

import dev.backprop.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-key rate limits on submits and predicts, the two requests that cost CPU: 429 with the seconds
 * until the key's bucket holds a token again. In memory, per replica.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final Pattern PREDICT = Pattern.compile("/models/[^/]+/(predict|evaluate)");

    private final AccessProperties.RateLimits limits;
    private final SecurityProblems problems;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RateLimitFilter(AccessProperties.RateLimits limits, SecurityProblems problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = Caller.current();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (caller.keyId() == null || !"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String kind;
        int perMinute;
        if (path.equals("/jobs")) {
            kind = "submits";
            perMinute = limits.submitsPerMinute();
        } else if (PREDICT.matcher(path).matches()) {
            kind = "predicts";
            perMinute = limits.predictsPerMinute();
        } else {
            chain.doFilter(request, response);
            return;
        }
        long now = System.nanoTime();
        long wait = perMinute <= 0 ? 0 : buckets.computeIfAbsent(caller.keyId() + "/" + kind, k -> new TokenBucket(perMinute, now)).take(now);
        if (wait > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1)));
            problems.write(response, ProblemType.RATE_LIMITED, "key '" + caller.keyName() + "' made more than " + perMinute + " "
                    + kind + " in the last minute (backprop.security.rate-limits." + kind + "-per-minute)");
            return;
        }
        chain.doFilter(request, response);
    }
}
