package dev.backprop.search;

import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Called on a replica's training thread right before it trains a claimed trial of a spread search ({@link TrialUnits}):
 * a seam for tests that must order the replicas' trials (the two-replica test holds each replica's first trial until
 * the other replica has claimed one, so that "both replicas run trials" holds however the machine schedules them). The
 * application defines none; without a bean it does nothing.
 */
@FunctionalInterface
public interface TrialGate {

    /** The gate of an application that defines none. */
    TrialGate NONE = (jobId, index, stopping) -> {
    };

    /**
     * Returns when trial {@code index} of search {@code jobId} may train; a gate that waits must end its wait when
     * {@code stopping} says so, and within a bound of its own.
     */
    void beforeTrial(UUID jobId, int index, BooleanSupplier stopping);
}
