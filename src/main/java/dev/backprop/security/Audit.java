package dev.backprop.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Who created, cancelled or deleted what: one log line each, on the {@code dev.backprop.audit} logger. */
@Component
public class Audit {

    private static final Logger log = LoggerFactory.getLogger("dev.backprop.audit");

    /** Logs that the current caller did {@code action} ("created", "cancelled", "deleted") to an object. */
    public void record(String action, String kind, Object id) {
        log.info("{} {} {} {}", Caller.current().describe(), action, kind, id);
    }
}
