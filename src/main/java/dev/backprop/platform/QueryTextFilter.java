package dev.backprop.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a query string that carries a NUL character ({@code %00}) with a 400 naming the parameter. No parameter
 * of the API takes one, and PostgreSQL refuses it in any text it is asked to compare, so a filter such as
 * {@code GET /models?tag=a%00b} was a 500 there (and an empty list on H2). Only the raw query string is read: the
 * parameters themselves would parse a form body here, on the request thread, before the body limits apply.
 */
@Component
// after Spring Security's filter (order -100), whose header writer then covers the 400 like every answer
@Order(-95)
class QueryTextFilter extends OncePerRequestFilter {

    private final JsonMapper jsonMapper;

    QueryTextFilter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null || !query.contains("%00")) {
            chain.doFilter(request, response);
            return;
        }
        String parameter = "query";
        for (String pair : query.split("&")) {
            if (pair.contains("%00")) {
                parameter = pair.contains("=") && !pair.substring(0, pair.indexOf('=')).contains("%00") ? pair.substring(0, pair.indexOf('=')) : "query";
                break;
            }
        }
        ApiException.FieldError error = new ApiException.FieldError(parameter, "contains a NUL character (%00), which no parameter takes");
        response.setStatus(ProblemType.VALIDATION.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        jsonMapper.writeValue(response.getOutputStream(), ProblemHandler.problem(ProblemType.VALIDATION,
                error.field() + ": " + error.message(), List.of(error)));
    }
}
