package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.job.SearchPhase;
import dev.backprop.platform.DatabaseOutages;

/**
 * What an auto search's re-scores tell while they run, shared by the workers that run them: a {@code rescore} event
 * for live followers as each starts, ends or is skipped, and the job's phase ({@link SearchPhase#RESCORES}) with the
 * re-scores done of those planned so far, from which {@code GET /jobs/{id}} counts and estimates the phase. Events
 * carry no id: the re-scores are stored with the search's trials once they all end, and a follower reads them there.
 */
final class RescoreProgress {

    /**
     * One re-score of a trial on one split.
     *
     * @param index  the trial re-scored
     * @param split  which split, 2 for the second (the first is the trial's own)
     * @param status {@code STARTED}, {@code SUCCEEDED}, {@code INCOMPLETE} (stopped, or a fold not trained in full: the
     *               round does not count) or {@code SKIPPED} (it would not end before the re-scores' share of the budget)
     * @param score  its mean over this split's folds, once it succeeded
     */
    record RescoreEvent(int index, int split, String status, Double score) {
    }

    private final RunningJob handle;
    private int done;
    private int planned;

    RescoreProgress(RunningJob handle, int firstRound) {
        this.handle = handle;
        this.planned = firstRound;
        write();
    }

    /** A further round of {@code trials} re-scores is about to start. */
    synchronized void plan(int trials) {
        planned += trials;
        write();
    }

    void started(int index, int split) {
        handle.publish("rescore", new RescoreEvent(index, split, "STARTED", null));
    }

    synchronized void ended(int index, int split, TrialRecord again, int folds) {
        done++;
        boolean whole = Rescore.whole(again, folds);
        handle.publish("rescore", new RescoreEvent(index, split, whole ? "SUCCEEDED" : "INCOMPLETE", whole ? again.score() : null));
        write();
    }

    synchronized void skipped(int index, int split) {
        // not run, so not planned: the total counts what ran or runs
        planned--;
        handle.publish("rescore", new RescoreEvent(index, split, "SKIPPED", null));
        write();
    }

    private void write() {
        try {
            handle.recordPhase(SearchPhase.RESCORES, done, planned);
        } catch (RuntimeException e) {
            if (!DatabaseOutages.isOutage(e)) {
                throw e;
            }
            // a hint: the next re-score's write, or the refit's, repairs it
        }
    }
}
