package dev.backprop.platform;

import java.io.IOException;

/** A request body passed the configured limit while it was being read. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("the request body exceeds the limit of " + limit + " bytes");
    }
}
