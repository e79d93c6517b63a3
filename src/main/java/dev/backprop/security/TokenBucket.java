package dev.backprop.security;

/**
 * A token bucket (the classic rate limiter, as in Bucket4j, which Maven Central here does not serve):
 * up to {@code capacity} tokens, refilled continuously at {@code capacity} per minute, one taken per request.
 */
final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(int perMinute, long now) {
        this.capacity = perMinute;
        this.tokensPerNano = perMinute / NANOS_PER_MINUTE;
        this.tokens = perMinute;
        this.refilledAt = now;
    }

    /** Takes a token at {@code now} (nanoseconds); returns 0 if it got one, otherwise the nanoseconds until one is there. */
    synchronized long take(long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }
}
