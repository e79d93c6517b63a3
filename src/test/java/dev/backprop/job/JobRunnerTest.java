package dev.backprop.job;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.backprop.support.TestProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The runner asks the queue for as many jobs as it has free workers, in one call, and keeps the workers it got none for. */
class JobRunnerTest {

    @Test
    void aRunnerClaimsAsManyJobsAsItHasFreeWorkersInOneCall() {
        Job claimed = JobTestFixtures.queuedJob();
        claimed.claim("runner", Instant.now(), Duration.ofSeconds(30), 3);
        JobQueue queue = mock(JobQueue.class);
        when(queue.claim(anyString(), eq(3), any())).thenReturn(List.of(claimed)).thenReturn(List.of());
        CountDownLatch finish = new CountDownLatch(1);
        JobExecution waitsToFinish = new JobExecution() {
            @Override
            public Set<JobType> types() {
                return Set.of(JobType.TRAINING);
            }

            @Override
            public void run(Job job, RunningJob run) {
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        JobRunner runner = new JobRunner(queue, mock(JobRepository.class), List.of(waitsToFinish), List.of(), new JobEvents(TestProperties.defaults()), Clock.systemUTC(),
                TestProperties.with(Map.of("backprop.jobs.workers", "3", "backprop.jobs.poll-interval", "20ms",
                        "backprop.jobs.heartbeat-interval", "1h")));
        runner.start();
        try {
            // three free workers ask for three; while one trains, the polls ask for the other two
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> verify(queue, atLeastOnce()).claim(anyString(), eq(2), any()));
            verify(queue).claim(anyString(), eq(3), any());
            verify(queue, never()).claim(anyString(), eq(1), any());
        } finally {
            finish.countDown();
            runner.stop();
        }
    }
}
