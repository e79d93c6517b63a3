package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.TestProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live events: bounded per job, delivered off the publishing thread, resumable after a stored history. */
class JobEventsTest {

    private final JobEvents events = new JobEvents(TestProperties.with(Map.of("backprop.events.buffer-size", "4")));
    private final UUID job = UUID.randomUUID();

    @AfterEach
    void stop() {
        events.destroy();
    }

    @Test
    void aFollowerThatBlocksNeverBlocksThePublisherAndIsToldWhatItSkipped() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Queue<JobEvent> got = new ConcurrentLinkedQueue<>();
        events.follow(job, event -> {
            got.add(event);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        events.publish(job, epoch(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        for (int epoch = 2; epoch <= 10_000; epoch++) {
            events.publish(job, epoch(epoch));  // would hang here if publishing waited on the follower
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 6);
        assertThat(got).extracting(JobEvent::name).containsExactly("epoch", "skipped", "epoch", "epoch", "epoch", "epoch");
        assertThat(got).extracting(JobEvent::id).containsExactly(1L, 0L, 9997L, 9998L, 9999L, 10_000L);
        assertThat(List.copyOf(got).get(1).payload()).isEqualTo(new JobEvents.Skipped(9995, 1));
    }

    @Test
    void aLateFollowerGetsTheStoredHistoryThenTheBufferedEventsPastIt() {
        for (int epoch = 1; epoch <= 3; epoch++) {
            events.publish(job, epoch(epoch));
        }
        Queue<JobEvent> got = new ConcurrentLinkedQueue<>();
        JobEvents.Subscription subscription = events.subscribe(job, got::add);
        events.publish(job, epoch(4));
        // epochs 1 and 2 are stored; 3 and 4 are only in the ring
        subscription.start(() -> List.of(epoch(1), epoch(2)));
        events.publish(job, epoch(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 5);
        assertThat(got).extracting(JobEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void eventsTheStoredHistoryAlreadyHoldsAreNotSentTwice() {
        for (int epoch = 1; epoch <= 3; epoch++) {
            events.publish(job, epoch(epoch));
        }
        Queue<JobEvent> got = new ConcurrentLinkedQueue<>();
        events.subscribe(job, got::add).start(() -> List.of(epoch(1), epoch(2), epoch(3)));
        events.publish(job, epoch(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() >= 4);
        assertThat(got).extracting(JobEvent::id).containsExactly(1L, 2L, 3L, 4L);
    }

    /**
     * The race of a search's follower: a trial is stored and published while the follower's replay reads the stored
     * trials, so it is both in the replay and in the ring; another is published after. Each reaches the follower once,
     * in order.
     */
    @Test
    void aTrialStoredWhileTheReplayReadsReachesTheFollowerOnceAndInOrder() {
        Queue<JobEvent> got = new ConcurrentLinkedQueue<>();
        events.publish(job, trial(1));
        JobEvents.Subscription subscription = events.subscribe(job, got::add);
        subscription.start(0, after -> {
            events.publish(job, trial(2));
            return List.of(trial(1), trial(2), JobEvent.status(JobTestFixtures.queuedJob()));
        });
        events.publish(job, trial(3));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.stream().anyMatch(e -> e.id() == 3));
        assertThat(got).extracting(JobEvent::id).containsExactly(1L, 2L, 0L, 3L);
    }

    /**
     * A job this replica does not run publishes nothing here: its follower polls the stored events from the last id it
     * got, and the status when it changes, until the terminal status ends the stream. Before the polling it got the
     * replay alone and waited for the rest forever.
     */
    @Test
    void aFollowerOfAJobThatRunsElsewherePollsItsStoredEventsAndStatusUntilItEnds() {
        JobEvents polling = new JobEvents(TestProperties.with(Map.of("backprop.events.poll-interval", "20ms")));
        try {
            List<JobEvent> database = new java.util.concurrent.CopyOnWriteArrayList<>();
            Job job = JobTestFixtures.queuedJob();
            JobEvent running = JobEvent.status(job);
            Queue<JobEvent> got = new ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
            polling.subscribe(job.id(), new JobEvents.Follower() {
                @Override
                public void accept(JobEvent event) {
                    got.add(event);
                }

                @Override
                public void end() {
                    ended.set(true);
                }
            }).start(0, after -> {
                List<JobEvent> read = new java.util.ArrayList<>(database.stream().filter(e -> e.id() > after).toList());
                read.add(database.stream().filter(e -> e.id() == 0).reduce((a, b) -> b).orElse(running));
                return read;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty());  // the replay: the status alone
            database.add(trial(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> got.stream().anyMatch(e -> e.id() == 1));
            database.add(trial(2));
            database.add(trial(3));
            await().atMost(Duration.ofSeconds(5)).until(() -> got.stream().anyMatch(e -> e.id() == 3));
            job.requestCancel(java.time.Instant.now());  // a queued job ends at once
            database.add(JobEvent.status(job));
            await().atMost(Duration.ofSeconds(5)).untilTrue(ended);
            assertThat(got).extracting(JobEvent::id).containsExactly(0L, 1L, 2L, 3L, 0L);
            assertThat(List.copyOf(got).get(4).isTerminal()).isTrue();
        } finally {
            polling.destroy();
        }
    }

    private static JobEvent trial(long sequence) {
        return new JobEvent("trial", sequence, "trial " + sequence);
    }

    private static JobEvent epoch(long epoch) {
        return new JobEvent("epoch", epoch, "epoch " + epoch);
    }
}
