package dev.backprop.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one filter chain: bearer keys, roles per path, security headers, CORS only for configured origins.
 * Static pages (the dashboard, Swagger UI) and the API document load without a key: they hold no data,
 * and the calls they make carry the key. Liveness and readiness stay public for probes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    /** The dashboard and Swagger UI load their scripts and styles from here; Swagger UI also styles inline and draws data: images. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private static final String[] PUBLIC_PAGES = {"/", "/index.html", "/ui", "/ui/**", "/swagger-ui.html", "/swagger-ui/**",
            "/v3/api-docs", "/v3/api-docs/**", "/webjars/**", "/favicon.ico", "/css/**", "/js/**", "/assets/**", "/images/**",
            "/*.html", "/*.js", "/*.css", "/*.png", "/*.svg"};

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys, AccessGate gate, AccessProperties properties, JsonMapper json)
            throws Exception {
        SecurityProblems problems = new SecurityProblems(json);
        // CSRF protection is for credentials a browser attaches by itself (cookies, basic auth). A bearer key is
        // never attached by a browser, so a forged cross-site request carries none; the keyless local mode is
        // covered by CrossSiteFilter (another site's Origin, or a form content type, is refused).
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                // Nothing asks the servlet request for its principal or roles (Caller.current() reads the context), so
                // no request wrapper for them on every request.
                .servletApi(servletApi -> servletApi.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> problems.write(response,
                                dev.backprop.platform.ProblemType.UNAUTHORIZED, "this request needs an API key: Authorization: Bearer <key>"))
                        .accessDeniedHandler((request, response, e) -> problems.write(response,
                                dev.backprop.platform.ProblemType.FORBIDDEN, "the key's role ("
                                        + Caller.current().role().wireName() + ") does not allow " + request.getMethod() + " "
                                        + request.getRequestURI())))
                .addFilterBefore(new ApiKeyFilter(keys, gate, problems), AuthorizationFilter.class)
                .addFilterAfter(new CrossSiteFilter(properties.allowedOrigins(), problems), ApiKeyFilter.class)
                .addFilterAfter(new RateLimitFilter(properties.rateLimits(), problems), CrossSiteFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/error", "/actuator/health/liveness", "/actuator/health/readiness", "/livez", "/readyz").permitAll()
                        .requestMatchers("/actuator/**", "/admin/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, PUBLIC_PAGES).permitAll()
                        .requestMatchers(HttpMethod.GET, "/models", "/models/**").hasRole("PREDICT")
                        .requestMatchers(HttpMethod.POST, "/models/*/predict", "/models/*/evaluate").hasRole("PREDICT")
                        .anyRequest().hasRole("MEMBER"));
        if (properties.allowedOrigins().isEmpty()) {
            http.cors(cors -> cors.disable());
        } else {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "DELETE"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID"));
            cors.setExposedHeaders(List.of("Location", "Retry-After"));
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/**", cors);
            http.cors(c -> c.configurationSource(source));
        }
        return http.build();
    }

    /**
     * Spring Security's firewall with its own rules for header names and values (every character assigned and not a
     * control character; a tab allowed in values), checked by a loop instead of its regular expressions: the firewall
     * checks every header each filter reads, and those regular expressions took 7% of a single-row predict's samples
     * (bench/NOTES.md). The same strings pass and fail ({@code SecurityConfigurationTest}).
     */
    @Bean
    WebSecurityCustomizer headerRules() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(name -> printable(name, false));
        firewall.setAllowedHeaderValues(value -> printable(value, true));
        return web -> web.httpFirewall(firewall);
    }

    /** Whether every code point is assigned and not a control character (a tab excepted when {@code tab}). */
    static boolean printable(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && c == '\t'))) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /**
     * No observations of the filter chain, its authentications and its authorizations: they made a timer lookup with
     * tags per filter and request, about a fifth of a single-row predict's samples (bench/NOTES.md), and say nothing
     * the request's own {@code http.server.requests} timer does not.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Swagger UI's Authorize button: every operation takes a bearer key. */
    @Bean
    OpenApiCustomizer bearerKeys() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("An API key (bpk_…), from POST /admin/keys; not needed on a keyless local service"));
            openApi.addSecurityItem(new SecurityRequirement().addList("apiKey"));
        };
    }
}
