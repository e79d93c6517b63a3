package dev.backprop.search;

import dev.backprop.job.RunningJob;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the followers of a spread search learn, on its coordinating replica, of the trials that run anywhere: a trial
 * another replica started (seen among the running units, once per runner that took it) and every trial stored,
 * which is counted into the search's progress. A replica tells only its own followers of the trials it runs, and a
 * follower is served by the replica it connected to; the coordinating replica, which every trial reports to through
 * the database, is where all of them meet.
 *
 * <p>The coordinating worker looks at its poll interval while it waits, and between the mini-batches of a trial it
 * trains itself at the same pace, so a trial of another replica is announced within about a poll interval of its
 * claim whatever the coordinator is doing. One coordinating thread owns an instance.
 */
final class RemoteTrials {

    private static final Logger log = LoggerFactory.getLogger(RemoteTrials.class);

    private final TrialQueue queue;
    private final TrialRepository trials;
    private final Clock clock;
    private final RunningJob handle;
    private final SearchProgress progress;
    private final long intervalNanos;
    /** The runner each running trial of another replica was announced for. */
    private final Map<Integer, String> announced = new HashMap<>();
    private long nextLook;

    RemoteTrials(TrialQueue queue, TrialRepository trials, Clock clock, RunningJob handle, SearchProgress progress,
                 long intervalMillis) {
        this.queue = queue;
        this.trials = trials;
        this.clock = clock;
        this.handle = handle;
        this.progress = progress;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.nextLook = System.nanoTime();
    }

    /** Announces the trials other replicas started and counts the trials stored since the last look. */
    void look() {
        UUID id = handle.id();
        nextLook = System.nanoTime() + intervalNanos;
        for (TrialQueue.RunningTrial running : queue.running(id, clock.instant())) {
            // this replica's own trials were announced by the worker that runs them
            if (!running.owner().equals(handle.owner()) && !Objects.equals(announced.put(running.index(), running.owner()),
                    running.owner())) {
                handle.publish("trial", new SearchExecution.TrialEvent(running.index(), "STARTED", running.params(), null, null));
            }
        }
        for (TrialRecord trial : trials.findTrials(id, false)) {
            if (!progress.isFinished(trial.index())) {
                progress.record(trial);
                announced.remove(trial.index());
                handle.publish("trial", new SearchExecution.TrialEvent(trial.index(), trial.status(), trial.params(), trial.score(),
                        trial.error()));
            }
        }
    }

    /**
     * Looks when a poll interval has passed since the last look; asked between the mini-batches of the coordinator's
     * own trial, so a database that is away only delays the announcements.
     */
    void lookIfDue() {
        if (System.nanoTime() - nextLook < 0) {
            return;
        }
        try {
            look();
        } catch (RuntimeException e) {
            nextLook = System.nanoTime() + intervalNanos;
            log.warn("Looking at the trials of search {} on other replicas failed; retrying", handle.id(), e);
        }
    }
}
