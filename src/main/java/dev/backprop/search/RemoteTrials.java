package dev.backprop.search;

import dev.backprop.job.RunningJob;
import dev.backprop.platform.FailureEpisode;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the followers of a spread search learn, on its coordinating replica, of the trials that run anywhere: a trial
 * another replica started (seen among the running units, once per runner that took it) and every trial stored, in
 * the order stored ({@link TrialFeed}), which is counted into the search's progress. A follower on another replica
 * reads the stored trials itself ({@code JobEvents} polls them); it hears the trials started there only.
 *
 * <p>The coordinating worker looks at its poll interval while it waits, and between the mini-batches of a trial it
 * trains itself at the same pace, so a trial of another replica is announced within about a poll interval of its
 * claim whatever the coordinator is doing. One coordinating thread owns an instance.
 */
final class RemoteTrials {

    private static final Logger log = LoggerFactory.getLogger(RemoteTrials.class);

    private final TrialQueue queue;
    private final TrialFeed feed;
    private final Clock clock;
    private final RunningJob handle;
    private final SearchProgress progress;
    private final long intervalNanos;
    /** The runner each running trial of another replica was announced for. */
    private final Map<Integer, String> announced = new HashMap<>();
    private long nextLook;
    private final FailureEpisode failedLooks;

    RemoteTrials(TrialQueue queue, TrialFeed feed, Clock clock, RunningJob handle, SearchProgress progress,
                 long intervalMillis) {
        this.queue = queue;
        this.feed = feed;
        this.clock = clock;
        this.handle = handle;
        this.progress = progress;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.nextLook = System.nanoTime();
        this.failedLooks = new FailureEpisode(log, "Looking at the trials of search " + handle.id() + " on other replicas");
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
        for (TrialRepository.StoredTrial stored : feed.catchUp()) {
            TrialRecord trial = stored.trial();
            if (!progress.isFinished(trial.index())) {
                progress.record(trial);
                announced.remove(trial.index());
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
            failedLooks.succeeded();
        } catch (RuntimeException e) {
            nextLook = System.nanoTime() + intervalNanos;
            failedLooks.failed(e);
        }
    }
}
