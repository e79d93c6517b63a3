package dev.backprop.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether requests need an API key ({@code backprop.security.mode}). */
public enum SecurityMode {
    /** Keys are required unless no key exists and the service listens on the loopback interface only. */
    AUTO,
    /** No key is ever required, on any address: for a service behind a gateway that authenticates (logged loudly). */
    OPEN,
    /** Keys are always required; an admin key is generated on first start when none is configured. */
    KEYS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
