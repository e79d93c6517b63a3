package dev.backprop.search;

import dev.backprop.job.JobEvent;
import dev.backprop.job.RunningJob;
import dev.backprop.search.TrialRepository.StoredTrial;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the followers of a search, on the replica that coordinates it, of its stored trials in the order they were
 * stored (their sequence, the events' ids), whichever thread stored them and whichever replica ran them. A trial
 * stored here is told at once when it is the next in sequence; one that overtook another (two trials stored at
 * once, or one from another replica in between) makes the feed read the trials stored since the last one told, which
 * the database holds in order: numbers follow commit order ({@link TrialRepository}). So the ids a follower gets only
 * grow, with no gap, and none is told twice.
 */
final class TrialFeed {

    private static final Logger log = LoggerFactory.getLogger(TrialFeed.class);

    private final TrialRepository trials;
    private final RunningJob handle;
    private long last;

    /** A feed that tells the trials stored after sequence {@code last} (those before it are in the database for followers). */
    TrialFeed(TrialRepository trials, RunningJob handle, long last) {
        this.trials = trials;
        this.handle = handle;
        this.last = last;
    }

    /** The event of a stored trial, under its sequence. */
    static JobEvent event(StoredTrial stored) {
        TrialRecord trial = stored.trial();
        return new JobEvent("trial", stored.sequence(), new SearchExecution.TrialEvent(trial.index(), trial.status(), trial.params(),
                trial.score(), trial.error()));
    }

    /** Tells of a trial this replica just stored under {@code sequence}, after any stored before it that were not told. */
    synchronized void stored(long sequence, TrialRecord trial) {
        if (sequence == last + 1) {
            tell(new StoredTrial(sequence, trial));
        } else if (sequence > last) {
            try {
                catchUp();
            } catch (RuntimeException e) {
                // the trial is stored: a follower gets it from the database, and the next trial stored tries again
                log.debug("Reading the trials stored before trial {} of search {} failed: {}", trial.index(), handle.id(), e.toString());
            }
        }
    }

    /** Tells of every trial stored since the last one told, in order, and returns them. */
    synchronized List<StoredTrial> catchUp() {
        List<StoredTrial> stored = trials.findTrialsAfter(handle.id(), last);
        stored.forEach(this::tell);
        return stored;
    }

    private void tell(StoredTrial stored) {
        JobEvent event = event(stored);
        handle.publish(event.name(), event.id(), event.payload());
        last = stored.sequence();
    }
}
