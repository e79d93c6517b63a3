package dev.backprop.platform;

import java.time.Duration;

/** The service cannot answer now but will soon: a 503 with {@code Retry-After}, nothing done. */
public class RetryLaterException extends ApiException {

    private final Duration retryAfter;

    public RetryLaterException(ProblemType type, String detail, Duration retryAfter) {
        super(type, detail);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
