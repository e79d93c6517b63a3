package dev.backprop.security;

import dev.backprop.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What stands in for CSRF tokens. A page of another site can make a browser send a form post (no
 * preflight, cookies or not) but never an {@code Authorization} header, so keyed requests are safe by
 * themselves; keyless ones (the local mode) are what such a page could send. So a state-changing request
 * is refused when its {@code Origin} is another site's (not this one, not an allowed CORS origin), and a
 * keyless one must not carry a form's content type (urlencoded or text/plain): it has to be JSON, CSV or
 * a multipart upload, which a cross-site page cannot send without an origin the first rule refuses.
 */
final class CrossSiteFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "text/plain");

    private final List<String> allowedOrigins;
    private final SecurityProblems problems;

    CrossSiteFilter(List<String> allowedOrigins, SecurityProblems problems) {
        this.allowedOrigins = allowedOrigins;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SAFE_METHODS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.equals(ownOrigin(request)) && !allowedOrigins.contains(origin)) {
            problems.write(response, ProblemType.CROSS_SITE_REQUEST, "a " + request.getMethod() + " from origin " + origin
                    + " is refused: it is neither this service's origin nor one of backprop.security.allowed-origins");
            return;
        }
        String contentType = request.getContentType();
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null && contentType != null
                && FORM_TYPES.contains(contentType.split(";")[0].strip().toLowerCase(Locale.ROOT))) {
            problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE, "a " + request.getMethod() + " without an API key "
                    + "may not be a form post (" + contentType + "), which any web page could make a browser send: "
                    + "send JSON, or an API key");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String ownOrigin(HttpServletRequest request) {
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(request.getScheme()) && port == 80) || ("https".equals(request.getScheme()) && port == 443);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }
}
