package dev.backprop.platform;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the API reports, each with a stable {@code type} URI and a fixed human title
 * (RFC 9457). The instance-specific {@code detail} comes with each occurrence.
 */
public enum ProblemType {
    VALIDATION("validation", "Invalid request", HttpStatus.BAD_REQUEST),
    MALFORMED_BODY("malformed-body", "Malformed request body", HttpStatus.BAD_REQUEST),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", HttpStatus.CONTENT_TOO_LARGE),
    NOT_FOUND("not-found", "Resource not found", HttpStatus.NOT_FOUND),
    JOB_STATE_CONFLICT("job-state-conflict", "Job is not in a state that allows this", HttpStatus.CONFLICT),
    DATASET_IN_USE("dataset-in-use", "Data set is in use", HttpStatus.CONFLICT),
    SERVICE_FULL("service-full", "Service is at capacity", HttpStatus.TOO_MANY_REQUESTS),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    TRAINING_FAILED("training-failed", "Training failed", HttpStatus.UNPROCESSABLE_CONTENT),
    /** A job whose runner stopped holding it too many times (its slug is the one stored jobs carry). */
    JOB_INTERRUPTED("lease-expired", "Job interrupted too often", HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL("internal", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR),
    BODY_TIMEOUT("body-timeout", "Request body too slow", HttpStatus.REQUEST_TIMEOUT),
    UPLOADS_BUSY("uploads-busy", "Too many uploads in progress", HttpStatus.SERVICE_UNAVAILABLE),
    DATABASE_UNAVAILABLE("database-unavailable", "Database unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    UNAUTHORIZED("unauthorized", "Missing or invalid API key", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "The key's role does not allow this", HttpStatus.FORBIDDEN),
    /** A state-changing request from another site's page, or a keyless form post: what a CSRF attack sends. */
    CROSS_SITE_REQUEST("cross-site-request", "Cross-site request refused", HttpStatus.FORBIDDEN),
    QUOTA_EXCEEDED("quota-exceeded", "Tenant quota exceeded", HttpStatus.TOO_MANY_REQUESTS),
    STORAGE_QUOTA_EXCEEDED("storage-quota-exceeded", "Tenant storage quota exceeded", HttpStatus.CONTENT_TOO_LARGE),
    RATE_LIMITED("rate-limited", "Too many requests for this key", HttpStatus.TOO_MANY_REQUESTS),
    TENANT_EXISTS("tenant-exists", "Tenant exists", HttpStatus.CONFLICT),
    /** The whole service holds as many data sets, models or epochs as it is configured for (every tenant together). */
    SERVICE_QUOTA_EXCEEDED("service-quota-exceeded", "Service storage limit reached", HttpStatus.TOO_MANY_REQUESTS),
    SERVICE_STORAGE_QUOTA_EXCEEDED("service-storage-quota-exceeded", "Service storage limit reached", HttpStatus.CONTENT_TOO_LARGE);

    private static final String BASE = "https://backprop.dev/problems/";

    private final String slug;
    private final String title;
    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    /** The type of a stored slug; a slug no longer known reads as {@link #INTERNAL}, never as an error. */
    public static ProblemType ofSlug(String slug) {
        for (ProblemType type : values()) {
            if (type.slug.equals(slug)) {
                return type;
            }
        }
        return INTERNAL;
    }
}
