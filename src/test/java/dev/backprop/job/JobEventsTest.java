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

    private static JobEvent epoch(long epoch) {
        return new JobEvent("epoch", epoch, "epoch " + epoch);
    }
}
