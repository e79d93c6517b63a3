package dev.backprop.platform;

import org.slf4j.Logger;
import org.springframework.core.NestedExceptionUtils;

/**
 * Logs a task that fails again and again, as a heartbeat does every beat while the database is away, as one episode:
 * a WARN with the cause's message when it starts failing, a DEBUG line for each failure after, and an INFO when it
 * succeeds again. A stack trace every beat buried the log (the reliability issue), and said nothing the first
 * message had not.
 */
public final class FailureEpisode {

    private final Logger log;
    private final String task;
    private int failures;

    /** An episode of {@code task} (what is tried, e.g. "Renewing the leases of this replica's jobs"), logged to {@code log}. */
    public FailureEpisode(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    /** Records one failure: the first of an episode is a WARN, the others DEBUG lines. */
    public synchronized void failed(RuntimeException failure) {
        String cause = NestedExceptionUtils.getMostSpecificCause(failure).toString();
        if (failures++ == 0) {
            log.warn("{} failed ({}); trying again, logging only when it succeeds", task, cause);
        } else {
            log.debug("{} failed again, {} times in a row ({})", task, failures, cause);
        }
    }

    /** Records a success, which ends an episode of failures with an INFO line. */
    public synchronized void succeeded() {
        if (failures > 0) {
            log.info("{} succeeds again after {} failures", task, failures);
            failures = 0;
        }
    }
}
