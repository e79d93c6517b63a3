package dev.backprop.search;

import dev.backprop.job.RunningJob;
import java.util.List;

/** Counters of a running search, shared by its trial threads: trials done and failed, the best score. */
final class SearchProgress {
    private final RunningJob handle;
    private final boolean higherIsBetter;
    private final int maxConsecutiveFailures;
    private final java.util.Set<Integer> finished = new java.util.HashSet<>();
    private int done;
    private int failed;
    private int consecutiveFailures;
    private Double best;
    private String lastError;
    private volatile boolean stopped;

    SearchProgress(RunningJob handle, boolean higherIsBetter, int maxConsecutiveFailures, List<TrialRecord> stored) {
        this.handle = handle;
        this.higherIsBetter = higherIsBetter;
        this.maxConsecutiveFailures = maxConsecutiveFailures;
        stored.forEach(this::count);
        if (!stored.isEmpty()) {
            handle.recordTrials(done, failed, best);
        }
    }

    boolean isFinished(int index) {
        return finished.contains(index);
    }

    boolean stopped() {
        return stopped;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized void record(TrialRecord trial) {
        count(trial);
        handle.recordTrials(done, failed, best);
    }

    private void count(TrialRecord trial) {
        // a trial promoted by successive halving is recorded once per rung, and counted once
        if (finished.add(trial.index())) {
            done++;
        }
        if (trial.succeeded()) {
            consecutiveFailures = 0;
            if (best == null || (higherIsBetter ? trial.score() > best : trial.score() < best)) {
                best = trial.score();
            }
        } else {
            failed++;
            lastError = trial.error();
            if (++consecutiveFailures >= maxConsecutiveFailures) {
                stopped = true;
            }
        }
    }
}
