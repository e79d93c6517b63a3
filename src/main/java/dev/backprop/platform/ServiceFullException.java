package dev.backprop.platform;

import java.time.Duration;

/** The service cannot take more work now; nothing was stored. Answered with 429 and {@code Retry-After}. */
public class ServiceFullException extends ApiException {

    private final Duration retryAfter;

    public ServiceFullException(String detail, Duration retryAfter) {
        super(ProblemType.SERVICE_FULL, detail);
        this.retryAfter = retryAfter;
    }

    /** Another kind of "not now" with a {@code Retry-After}, such as a tenant's job quota. */
    public ServiceFullException(ProblemType type, String detail, Duration retryAfter) {
        super(type, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
