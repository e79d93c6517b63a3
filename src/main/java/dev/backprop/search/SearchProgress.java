package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.platform.DatabaseOutages;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Counters of a running search, shared by its trial threads: trial runs done (a trial that successive halving
 * promotes runs once per rung, and each run counts, so that done reaches the total only with the last rung),
 * trials failed, full trials since the best score last rose, and the best score as the ranking sees it (a trial stopped early never outranks one that trained
 * further).
 */
final class SearchProgress {
    private final RunningJob handle;
    private final boolean higherIsBetter;
    private final int maxConsecutiveFailures;
    private final java.util.Set<Integer> finished = new java.util.HashSet<>();
    private int done;
    private int failed;
    private int consecutiveFailures;
    private int sinceImprovement;
    private long fitMillis;
    private int runsTimed;
    private TrialRecord best;
    private String lastError;
    private volatile boolean stopped;

    /**
     * @param stored     the trials stored before a restart, one record per trial (of its highest rung)
     * @param runsSoFar  the runs a stored record stands for (its rungs so far; 1 without halving)
     */
    SearchProgress(RunningJob handle, boolean higherIsBetter, int maxConsecutiveFailures, List<TrialRecord> stored,
                   ToIntFunction<TrialRecord> runsSoFar) {
        this.handle = handle;
        this.higherIsBetter = higherIsBetter;
        this.maxConsecutiveFailures = maxConsecutiveFailures;
        stored.forEach(trial -> count(trial, runsSoFar.applyAsInt(trial)));
        if (!stored.isEmpty()) {
            handle.recordTrials(done, failed, bestScore());
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

    /**
     * Trials trained in full (on every fold, not stopped early) since the last that raised the best score: only such a
     * trial's score measures its parameters, and only it can outrank the best. Tie-breaks (same score, lower validation
     * loss) are no higher score, so they do not count as raising it.
     */
    synchronized int trialsSinceImprovement() {
        return sinceImprovement;
    }

    /** The mean wall time of the runs finished so far, or 0 before the first. */
    synchronized double meanFitMillis() {
        return runsTimed == 0 ? 0 : (double) fitMillis / runsTimed;
    }

    /** Counts one run of a trial. */
    synchronized void record(TrialRecord trial) {
        fitMillis += trial.fitMillis();
        runsTimed++;
        count(trial, 1);
        try {
            write();
        } catch (RuntimeException e) {
            if (!DatabaseOutages.isOutage(e)) {
                throw e;
            }
            // the counts on the job are a hint, written whole: the next record, or the search's end, repairs them
        }
    }

    /** Writes the counts so far on the job. */
    synchronized void write() {
        handle.recordTrials(done, failed, bestScore());
    }

    private void count(TrialRecord trial, int runs) {
        finished.add(trial.index());
        done += runs;
        boolean improved = false;
        if (trial.succeeded()) {
            consecutiveFailures = 0;
            if (best == null || TrialRanking.outranks(trial.standing(), best.standing(), higherIsBetter)) {
                // a tie-break (same score, lower validation loss) ranks higher but is no better score
                improved = best == null || !trial.score().equals(best.score());
                best = trial;
            }
        } else {
            failed++;
            lastError = trial.error();
            if (++consecutiveFailures >= maxConsecutiveFailures) {
                stopped = true;
            }
        }
        if (improved) {
            sinceImprovement = 0;
        } else if (trial.succeeded() && !trial.stoppedEarly()) {
            sinceImprovement += runs;
        }
    }

    private Double bestScore() {
        return best == null ? null : best.score();
    }
}
