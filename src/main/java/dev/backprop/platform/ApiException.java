package dev.backprop.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A problem to report to the client: its kind, an instance-specific detail and, for validation, the
 * fields at fault. Thrown by services; turned into {@code application/problem+json} by
 * {@link ProblemHandler}.
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final transient List<FieldError> errors;
    private final transient Map<String, Object> properties = new LinkedHashMap<>();

    /** One field at fault: a JSON path such as {@code training.epochs} or {@code data.rows[3][1]}. */
    public record FieldError(String field, String message) {
    }

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ApiException(ProblemType type, String detail, List<FieldError> errors) {
        super(detail);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    /** A validation problem listing the fields at fault; the detail summarizes the first. */
    public static ApiException validation(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String detail = first.field() + ": " + first.message()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return new ApiException(ProblemType.VALIDATION, detail, errors);
    }

    /**
     * A text sent back to a client, cut to {@code max} characters: most texts echo a submitted value (an unknown
     * name, a value of the wrong type, a path), which is otherwise as long as the request allows.
     */
    public static String capped(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A validation problem about one field. */
    public static ApiException invalid(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(ProblemType.NOT_FOUND, what + " " + id + " does not exist");
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Adds a member to the problem body beside its detail, for clients to read without parsing text (a quota's limit). */
    public ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** The members added with {@link #with}, in order. */
    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }
}
