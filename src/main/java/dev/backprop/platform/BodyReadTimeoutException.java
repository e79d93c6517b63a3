package dev.backprop.platform;

import java.io.IOException;
import java.time.Duration;

/** A request waited longer for its body than {@code backprop.limits.body-read-timeout} allows. */
public class BodyReadTimeoutException extends IOException {

    public BodyReadTimeoutException(Duration timeout) {
        super("the request body did not arrive within " + timeout.toSeconds() + " s of waiting for it");
    }
}
