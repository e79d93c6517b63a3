package dev.backprop.job;

import java.util.List;

/** Runs a search's trials on the training executor: the job runner is the only owner of threads. */
@FunctionalInterface
interface TrialScheduler {

    /**
     * Runs every task, at most {@code parallelism} at once (the calling worker plus any free ones),
     * and returns when all have run.
     */
    void runAll(List<Runnable> tasks, int parallelism);
}
