package dev.backprop.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records the Authorization header of every request the app receives, so a test can see what the pages send
 * (this branch's service asks for no key; the security issue adds the check).
 */
@TestConfiguration(proxyBeanMethods = false)
class AuthorizationHeaders extends OncePerRequestFilter {

    /** One request as it arrived. */
    record Seen(String method, String path, String authorization) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        seen.add(new Seen(request.getMethod(), request.getRequestURI(), request.getHeader("Authorization")));
        chain.doFilter(request, response);
    }
}
