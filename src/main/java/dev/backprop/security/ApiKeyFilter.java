package dev.backprop.security;

import dev.backprop.platform.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns {@code Authorization: Bearer <key>} into the request's {@link Caller}. A header that is there
 * but not a valid key is a 401 even where no key is needed, so that a client never silently acts as the
 * default tenant with a key it thinks works. Without a header the request is the local caller when keys
 * are not required, and otherwise unauthenticated (the entry point answers 401 where a key is needed).
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final AccessGate gate;
    private final SecurityProblems problems;

    ApiKeyFilter(ApiKeys keys, AccessGate gate, SecurityProblems problems) {
        this.keys = keys;
        this.gate = gate;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        Caller caller;
        if (header != null) {
            if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
                problems.write(response, ProblemType.UNAUTHORIZED, "the Authorization header must be 'Bearer <key>'");
                return;
            }
            Optional<Caller> found = keys.authenticate(header.substring(BEARER.length()).strip());
            if (found.isEmpty()) {
                problems.write(response, ProblemType.UNAUTHORIZED, "the API key is not valid: unknown, revoked or mistyped");
                return;
            }
            caller = found.get();
        } else if (!gate.keysRequired()) {
            caller = Caller.LOCAL;
        } else {
            chain.doFilter(request, response);
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller));
        // Not cleared here: the access-denied handler outside this filter still needs it, and the chain's
        // SecurityContextHolderFilter clears it after the request.
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    /** An authenticated caller; its credentials are never kept, so nothing can print the key. */
    static final class CallerAuthentication extends AbstractAuthenticationToken {
        private final Caller caller;

        CallerAuthentication(Caller caller) {
            super(AuthorityUtils.createAuthorityList(caller.role().authorities()));
            this.caller = caller;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return caller;
        }
    }
}
