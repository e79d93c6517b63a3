package dev.backprop.platform;

import java.io.IOException;
import java.time.Duration;

/**
 * A large body's first read found every upload slot taken for as long as it may wait for one: answered 503
 * {@code uploads-busy} with {@code Retry-After}. An {@link IOException}, so that it fails the body's read as a body
 * too large or too slow does, wherever the reader is.
 */
class UploadsBusyException extends IOException {

    private final Duration retryAfter;

    UploadsBusyException(int slots, Duration retryAfter) {
        super("the service is reading " + slots + " large request bodies, as many as it reads at once; retry after "
                + seconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    /** The {@code Retry-After} header's value. */
    String retryAfterSeconds() {
        return Long.toString(seconds(retryAfter));
    }

    private static long seconds(Duration retryAfter) {
        return Math.max(1, retryAfter.toSeconds());
    }
}
