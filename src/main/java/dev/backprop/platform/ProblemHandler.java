package dev.backprop.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into RFC 9457 {@code application/problem+json} with a stable {@code type}, a
 * fixed {@code title}, a {@code detail} and, for validation, {@code errors}: the fields at fault.
 * No stack trace, class name or SQL reaches the client.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** The logger of clients gone before their answer: debug level, since nothing went wrong in the service. */
    static final String DISCONNECTED_CLIENTS_LOG = "dev.backprop.platform.DisconnectedClients";

    private static final DisconnectedClientHelper disconnectedClients = new DisconnectedClientHelper(DISCONNECTED_CLIENTS_LOG);

    /**
     * Characters of a detail, field or message sent back. Most of them echo the submitted value (an
     * unknown name, a value of the wrong type), which is otherwise as long as the request allows.
     */
    static final int MAX_ECHO = 300;

    /** The {@code Retry-After} of a database outage: about the time a restarted database takes to accept connections. */
    static final long DATABASE_RETRY_AFTER_SECONDS = 5;

    /** Builds the problem body for a type, detail and field errors. */
    static ProblemDetail problem(ProblemType type, String detail, List<ApiException.FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), cap(detail));
        problem.setType(type.uri());
        problem.setTitle(type.title());
        problem.setInstance(instance());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors.stream().map(e -> new ApiException.FieldError(cap(e.field()), cap(e.message()))).toList());
        }
        return problem;
    }

    private static String cap(String text) {
        return ApiException.capped(text, MAX_ECHO);
    }

    /**
     * The path the problem is about, capped: left to Spring, {@code instance} is the whole request path, thousands
     * of characters when a client sends them. An error dispatch names the path that failed, not {@code /error}.
     */
    private static URI instance() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return null;
        }
        HttpServletRequest request = attributes.getRequest();
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = failed instanceof String text ? text : request.getRequestURI();
        if (path.length() > MAX_ECHO) {
            // never end inside a %XX escape, which would not parse
            path = path.substring(0, MAX_ECHO).replaceFirst("%[0-9A-Fa-f]?$", "");
        }
        try {
            return new URI(path);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The problem type of a status that no handler chose a type for. */
    static ProblemType typeOf(int status) {
        return switch (status) {
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? ProblemType.VALIDATION : ProblemType.INTERNAL;
        };
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApi(ApiException e) {
        HttpHeaders headers = new HttpHeaders();
        if (e instanceof ServiceFullException full) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, full.retryAfter().toSeconds())));
        }
        ProblemDetail problem = problem(e.type(), e.getMessage(), e.errors());
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(e.type().status()).headers(headers).body(problem);
    }

    /**
     * The database unreachable (no connection within Hikari's connection timeout, a connection lost, a
     * transaction that could not begin): nothing was done, and the request may be sent again.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessResourceException.class})
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return ResponseEntity.status(ProblemType.DATABASE_UNAVAILABLE.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS))
                .body(problem(ProblemType.DATABASE_UNAVAILABLE,
                        "the database cannot be reached; nothing was changed, retry after " + DATABASE_RETRY_AFTER_SECONDS + " s",
                        List.of()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException e) {
        ApiException.FieldError error = new ApiException.FieldError(e.getName(), "invalid value '" + e.getValue() + "'");
        return ResponseEntity.badRequest().body(problem(ProblemType.VALIDATION, error.field() + ": " + error.message(), List.of(error)));
    }

    /**
     * A query string (or form body) Tomcat cannot decode: a {@code %} not followed by two hex digits, or escapes
     * that are not UTF-8. Tomcat throws it when the first parameter is read, which is inside argument resolution.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> handleUndecodableParameters(InvalidParameterException e) {
        ApiException.FieldError error = new ApiException.FieldError("query",
                "not valid percent-encoded UTF-8: each % must start an escape of two hex digits, and the escapes must spell UTF-8");
        return ResponseEntity.badRequest().body(problem(ProblemType.VALIDATION, "the query string or form body cannot be decoded: "
                + error.message(), List.of(error)));
    }

    /** A multipart body cut short or without a boundary; a too large one stays a 413 (its own handler is more specific). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> handleMultipart(MultipartException e) {
        return ResponseEntity.badRequest().body(problem(ProblemType.MALFORMED_BODY,
                "the multipart body could not be read: it needs a boundary parameter and a closing boundary line", List.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        ResponseEntity<ProblemDetail> body = bodyProblem(e);
        if (body != null) {
            return body;
        }
        if (disconnectedClients.checkAndLogClientDisconnectedException(e)) {
            // a client that hung up mid-request (an upload given up, a reset): there is no one to answer
            return null;
        }
        log.error("Unexpected error", e);
        return ResponseEntity.internalServerError()
                .body(problem(ProblemType.INTERNAL, "the request could not be completed; it has been logged", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(new ApiException.FieldError(f.getField(), f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new ApiException.FieldError(g.getObjectName(), g.getDefaultMessage())));
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        ApiException validation = ApiException.validation(errors);
        return ResponseEntity.badRequest().body(problem(ProblemType.VALIDATION, validation.getMessage(), errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new ApiException.FieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        if (errors.isEmpty()) {
            errors.add(new ApiException.FieldError("request", "invalid"));
        }
        return ResponseEntity.badRequest().body(problem(ProblemType.VALIDATION, ApiException.validation(errors).getMessage(), errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getCause();
        ResponseEntity<ProblemDetail> body = bodyProblem(e);
        if (body != null) {
            return ResponseEntity.status(body.getStatusCode()).headers(body.getHeaders()).body(body.getBody());
        }
        if (cause instanceof JacksonException jackson) {
            String field = path(jackson);
            String message = describe(jackson);
            if (message != null) {
                ApiException.FieldError error = new ApiException.FieldError(field.isEmpty() ? "body" : field, message);
                return ResponseEntity.badRequest().body(problem(ProblemType.VALIDATION, error.field() + ": " + error.message(), List.of(error)));
            }
            String location = jackson.getLocation() == null ? ""
                    : " at line " + jackson.getLocation().getLineNr() + ", column " + jackson.getLocation().getColumnNr();
            return ResponseEntity.badRequest().body(problem(ProblemType.MALFORMED_BODY, "the body is not valid JSON" + location, List.of()));
        }
        return ResponseEntity.badRequest().body(problem(ProblemType.MALFORMED_BODY, "the request body is missing or unreadable", List.of()));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers, HttpStatusCode status,
                                                             WebRequest request) {
        ProblemType type = typeOf(status.value());
        String detail = body instanceof ProblemDetail existing && existing.getDetail() != null ? existing.getDetail() : type.title();
        if (type == ProblemType.INTERNAL) {
            log.error("Unexpected error", e);
            detail = "the request could not be completed; it has been logged";
        }
        ProblemDetail problem = problem(type, detail, List.of());
        problem.setStatus(status.value());
        return ResponseEntity.status(status).headers(headers).body(problem);
    }

    /**
     * The problem of a body that failed while it was read (too large, too slow), wherever in the cause chain
     * the reader put it, or null.
     */
    private static ResponseEntity<ProblemDetail> bodyProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            ProblemType type = cause instanceof PayloadTooLargeException ? ProblemType.PAYLOAD_TOO_LARGE
                    : cause instanceof BodyReadTimeoutException ? ProblemType.BODY_TIMEOUT
                    : cause instanceof UploadsBusyException ? ProblemType.UPLOADS_BUSY : null;
            if (type != null) {
                HttpHeaders headers = new HttpHeaders();
                headers.set(HttpHeaders.CONNECTION, "close");
                if (cause instanceof UploadsBusyException busy) {
                    headers.set(HttpHeaders.RETRY_AFTER, busy.retryAfterSeconds());
                }
                return ResponseEntity.status(type.status()).headers(headers).body(problem(type, cause.getMessage(), List.of()));
            }
        }
        return null;
    }

    /** A JSON path such as {@code training.epochs} or {@code data.rows[2][0]}. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A client-facing sentence for a binding problem, or null for a syntax error. */
    private static String describe(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown property '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InputCoercionException) {
            return "number out of range";
        }
        if (e instanceof MismatchedInputException mismatch) {
            Class<?> target = mismatch.getTargetType();
            return target == null ? "value of the wrong type" : "expected " + describeType(target);
        }
        if (e instanceof StreamReadException) {
            return null;
        }
        return "invalid value";
    }

    private static String describeType(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object (" + type.getSimpleName().replaceAll("(Request|Response)$", "").toLowerCase(Locale.ROOT) + ")";
    }
}
