package dev.backprop.security;

/**
 * A token bucket (the classic rate limiter, as in Bucket4j, which Maven Central here does not serve):
 * up to {@code perMinute} tokens, refilled evenly at {@code perMinute} a minute, one taken per request.
 * Kept as nanoseconds of refill credit, in whole numbers, so that its waits are exact.
 */
final class TokenBucket {

    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final long interval;
    private final long capacity;
    private long credit;
    private long refilledAt;

    TokenBucket(int perMinute, long now) {
        this.interval = NANOS_PER_MINUTE / perMinute;
        this.capacity = interval * perMinute;
        this.credit = capacity;
        this.refilledAt = now;
    }

    /** Takes a token at {@code now} (nanoseconds); returns 0 if it got one, otherwise the nanoseconds until one is there. */
    synchronized long take(long now) {
        credit = Math.min(capacity, credit + (now - refilledAt));
        refilledAt = now;
        if (credit >= interval) {
            credit -= interval;
            return 0;
        }
        return interval - credit;
    }
}
