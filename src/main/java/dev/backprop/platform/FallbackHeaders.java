package dev.backprop.platform;

import java.util.Map;

/**
 * The security headers of answers made outside the security filter chain: Tomcat's own error reports and the
 * error page it forwards to. Every other answer gets them from the chain (security.SecurityConfiguration); a
 * problem is never sniffed as something else, cached or framed.
 */
final class FallbackHeaders {

    static final Map<String, String> VALUES = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    private FallbackHeaders() {
    }
}
