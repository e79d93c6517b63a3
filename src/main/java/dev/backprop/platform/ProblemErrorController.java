package dev.backprop.platform;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page Tomcat forwards to for errors no handler answered: a path it refused to decode, a
 * {@code TRACE}, an exception thrown by a filter. Replaces Spring Boot's {@code BasicErrorController},
 * whose body is not a problem; called directly, {@code /error} is a resource that does not exist.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 404;
        ProblemType type = ProblemHandler.typeOf(status);
        String detail = switch (status) {
            case 400 -> "the request could not be read: a malformed path, header or body";
            case 404 -> "no such resource";
            case 405 -> "method " + request.getMethod() + " is not allowed here";
            default -> type.title();
        };
        if (type == ProblemType.INTERNAL) {
            log.error("Unexpected error at {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
            detail = "the request could not be completed; it has been logged";
        }
        ProblemDetail problem = ProblemHandler.problem(type, detail, List.of());
        problem.setStatus(status);
        // an error dispatch (a TRACE refused by the servlet) loses the headers the security chain wrote
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        FallbackHeaders.VALUES.forEach(headers::set);
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
