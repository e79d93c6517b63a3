package dev.backprop.job;

import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Work that a running job hands out, beyond itself, to the free training workers of every replica that shares
 * the database: a search's trials. The runner claims from it what workers are left after claiming jobs, and
 * runs each unit on one of them; it knows the units only through this interface, as it knows job types only
 * through {@link JobExecution}. A unit keeps its own lease, so the source, not the runner, decides what a lost
 * lease or a cancel means for it.
 */
public interface WorkUnitSource {

    /**
     * Takes up to {@code wanted} units for {@code owner}, each with a lease from {@code now}.
     *
     * @return the units {@code owner} now runs, no more than {@code wanted}
     */
    List<Unit> claim(String owner, int wanted, Instant now);

    /** One claimed unit of work. */
    @FunctionalInterface
    interface Unit {

        /**
         * Runs the unit on the calling training thread until it ends, its lease is lost, or
         * {@code runnerStopping} turns true (shutdown), in which case it leaves the unit to another runner.
         */
        void run(BooleanSupplier runnerStopping);
    }
}
