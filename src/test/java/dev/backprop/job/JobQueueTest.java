package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.backprop.platform.BackpropProperties;
import dev.backprop.platform.ServiceFullException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue's claims, leases and admission on H2, where claims take the optimistic path; a subclass runs the
 * same tests on PostgreSQL, where a claim is one {@code FOR UPDATE SKIP LOCKED} statement. Capacity is
 * 1 worker + 4 queued; a job is given up after 2 attempts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {"backprop.jobs.runner-enabled=false",
        "backprop.jobs.workers=1", "backprop.jobs.queue-capacity=4", "backprop.jobs.max-attempts=2", "backprop.jobs.lease-duration=30s"})
class JobQueueTest {

    private static final int CAPACITY = 5;

    @Autowired
    JobQueue queue;

    @Autowired
    JobRepository jobs;

    @Autowired
    JobEvents events;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BackpropProperties properties;

    private final ExecutorService clients = Executors.newFixedThreadPool(2);

    // Both databases keep microseconds; a whole millisecond keeps the in-memory reference equal to what is read back.
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void emptyQueue() {
        jdbc.sql("DELETE FROM job").update();
    }

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void aClaimAppliesExactlyWhatJobClaimApplies() {
        Job queued = JobTestFixtures.storedJob(jobs, now.minusSeconds(600));
        Job lapsed = claimed(JobTestFixtures.storedJob(jobs, now.minusSeconds(500)), "runner-old", now.minusSeconds(400));
        jobs.updateProgress(lapsed.id(), "runner-old", 7);
        jobs.updateSearchProgress(lapsed.id(), "runner-old", 3, 1, 0.5);
        Job exhausted = JobTestFixtures.storedJob(jobs, now.minusSeconds(450));
        claimed(claimed(exhausted, "runner-old", now.minusSeconds(400)), "runner-old", now.minusSeconds(300));
        Job cancelling = claimed(JobTestFixtures.storedJob(jobs, now.minusSeconds(350)), "runner-old", now.minusSeconds(300));
        cancelling.requestCancel(now.minusSeconds(300));
        jobs.save(cancelling);
        Job live = claimed(JobTestFixtures.storedJob(jobs, now.minusSeconds(250)), "runner-live", now.minusSeconds(1));
        Job ended = JobTestFixtures.storedJob(jobs, now.minusSeconds(200));
        ended.requestCancel(now.minusSeconds(200));
        jobs.save(ended);
        List<UUID> ids = List.of(queued.id(), lapsed.id(), exhausted.id(), cancelling.id(), live.id(), ended.id());

        // the reference: Job.claim on each stored row that is claimable
        List<Job> expected = new ArrayList<>();
        Set<UUID> expectedChanged = new HashSet<>();
        List<UUID> expectedRunning = new ArrayList<>();
        for (UUID id : ids) {
            Job job = jobs.findById(id).orElseThrow();
            if (job.isClaimable(now)) {
                expectedChanged.add(id);
                if (job.claim("runner-new", now, lease(), properties.jobs().maxAttempts())) {
                    expectedRunning.add(id);
                }
            }
            expected.add(job);
        }
        assertThat(expectedChanged).containsExactlyInAnyOrder(queued.id(), lapsed.id(), exhausted.id(), cancelling.id());
        assertThat(expectedRunning).containsExactly(queued.id(), lapsed.id());
        Queue<JobEvent> published = new ConcurrentLinkedQueue<>();
        events.follow(exhausted.id(), published::add);
        events.follow(cancelling.id(), published::add);

        List<Job> claimed = queue.claim("runner-new", 10, now);

        assertThat(claimed).extracting(Job::id).containsExactlyElementsOf(expectedRunning);
        for (Job want : expected) {
            Job stored = jobs.findById(want.id()).orElseThrow();
            assertThat(stored).as("job %s", want.id()).usingRecursiveComparison().ignoringFields("version").isEqualTo(want);
            assertThat(stored.version()).isEqualTo(want.version() + (expectedChanged.contains(want.id()) ? 1 : 0));
        }
        for (Job job : claimed) {
            assertThat(job).usingRecursiveComparison().isEqualTo(jobs.findById(job.id()).orElseThrow());
        }
        assertThat(jobs.findById(exhausted.id()).orElseThrow().error().type().slug()).isEqualTo("lease-expired");
        // followers are told on a dispatcher thread, not the claiming one
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(published)
                .extracting(event -> ((JobEvent.StatusChange) event.payload()).status())
                .containsExactlyInAnyOrder(JobStatus.FAILED, JobStatus.CANCELLED));
    }

    @Test
    void aClaimTakesAtMostTheWantedJobsOldestFirst() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(JobTestFixtures.storedJob(jobs, now.minusSeconds(100 - i)).id());
        }
        assertThat(queue.claim("runner-a", 2, now)).extracting(Job::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(queue.claim("runner-b", 2, now)).extracting(Job::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(queue.claim("runner-a", 5, now)).extracting(Job::id).containsExactly(ids.get(4));
        assertThat(queue.claim("runner-b", 5, now)).isEmpty();
        assertThat(queue.claim("runner-b", 0, now)).isEmpty();
    }

    @Test
    void onlyTheHolderRenewsTheLeaseAndLearnsOfCancelRequests() {
        UUID id = JobTestFixtures.storedJob(jobs, now).id();
        UUID other = JobTestFixtures.storedJob(jobs, now.plusMillis(1)).id();
        assertThat(queue.claim("runner-a", 1, now)).extracting(Job::id).containsExactly(id);
        Instant later = now.plusSeconds(20);

        assertThat(queue.renew("runner-a", List.of(id, other), later)).isEqualTo(Map.of(id, JobStatus.RUNNING));
        assertThat(jobs.findById(id).orElseThrow().leaseExpiresAt()).isEqualTo(later.plus(lease()));
        assertThat(queue.renew("runner-b", List.of(id), later)).isEmpty();
        assertThat(queue.renew("runner-a", List.of(), later)).isEmpty();

        Job cancelling = jobs.findById(id).orElseThrow();
        cancelling.requestCancel(later);
        jobs.save(cancelling);
        assertThat(queue.renew("runner-a", List.of(id), later)).isEqualTo(Map.of(id, JobStatus.CANCEL_REQUESTED));
    }

    @Test
    void aRenewedLeaseKeepsTheJobAndALapsedOneHandsItOn() {
        UUID id = JobTestFixtures.storedJob(jobs, now).id();
        queue.claim("runner-a", 1, now);
        queue.renew("runner-a", List.of(id), now.plusSeconds(20));
        assertThat(queue.claim("runner-b", 1, now.plus(lease()).plusSeconds(1))).isEmpty();

        List<Job> takenOver = queue.claim("runner-b", 1, now.plusSeconds(20).plus(lease()).plusSeconds(1));
        assertThat(takenOver).extracting(Job::id, Job::attempt, Job::leaseOwner).containsExactly(tuple(id, 2, "runner-b"));
        assertThat(queue.renew("runner-a", List.of(id), now.plusSeconds(60))).isEmpty();
    }

    @Test
    void twoRunnersClaimingFiftyJobsAtOnceClaimEachJobExactlyOnce() throws Exception {
        int total = 50;
        for (int i = 0; i < total; i++) {
            JobTestFixtures.storedJob(jobs, now.minusSeconds(total - i));
        }
        Queue<Map.Entry<String, UUID>> claims = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runners = new ArrayList<>();
        for (String owner : List.of("runner-a", "runner-b")) {
            runners.add(clients.submit(() -> {
                start.await();
                while (claims.size() < total && !Thread.currentThread().isInterrupted()) {
                    // two free workers per runner, as a runner asks for as many jobs as it has free workers
                    queue.claim(owner, 2, Instant.now()).forEach(job -> claims.add(Map.entry(owner, job.id())));
                }
                return null;
            }));
        }
        start.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> runners.stream().allMatch(Future::isDone));
        for (Future<?> runner : runners) {
            runner.get();
        }

        assertThat(claims).hasSize(total);
        assertThat(new HashSet<>(claims.stream().map(Map.Entry::getValue).toList())).hasSize(total);
        for (Map.Entry<String, UUID> claim : claims) {
            Job job = jobs.findById(claim.getValue()).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.leaseOwner()).isEqualTo(claim.getKey());
        }
    }

    @Test
    void aFullQueueRefusesAndStoresNothingUntilAJobEnds() {
        List<Job> stored = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            stored.add(JobTestFixtures.queuedJob());
            queue.admit(stored.get(i), JobTestFixtures.inlineData());
        }
        Job refused = JobTestFixtures.queuedJob();
        assertThatThrownBy(() -> queue.admit(refused, JobTestFixtures.inlineData()))
                .isInstanceOf(ServiceFullException.class).hasMessageContaining("holds 5 queued and running jobs")
                .extracting(e -> ((ServiceFullException) e).retryAfter()).isEqualTo(properties.jobs().retryAfter());
        assertThat(jobs.findById(refused.id())).isEmpty();
        assertThat(jobs.countActive()).isEqualTo(CAPACITY);

        Job cancelled = jobs.findById(stored.get(0).id()).orElseThrow();
        cancelled.requestCancel(now);
        jobs.save(cancelled);
        Job admitted = JobTestFixtures.queuedJob();
        queue.admit(admitted, JobTestFixtures.inlineData());
        assertThat(jobs.findById(admitted.id())).isPresent();
    }

    @Test
    void twoConcurrentSubmittersNeverStoreMoreThanTheCapacity() throws Exception {
        // Several rounds, because one round of a broken admission may by chance not interleave at the boundary.
        for (int round = 0; round < 10; round++) {
            jdbc.sql("DELETE FROM job").update();
            AtomicInteger admitted = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> submitters = new ArrayList<>();
            for (int submitter = 0; submitter < 2; submitter++) {
                submitters.add(clients.submit(() -> {
                    start.await();
                    for (int i = 0; i < CAPACITY; i++) {
                        try {
                            queue.admit(JobTestFixtures.queuedJob(), JobTestFixtures.inlineData());
                            admitted.incrementAndGet();
                        } catch (ServiceFullException e) {
                            // the other submitter filled the service
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> submitter : submitters) {
                submitter.get(30, TimeUnit.SECONDS);
            }
            assertThat(admitted).as("round %d", round).hasValue(CAPACITY);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM job").query(Long.class).single()).as("round %d", round).isEqualTo(CAPACITY);
        }
    }

    private Job claimed(Job job, String owner, Instant at) {
        Job current = jobs.findById(job.id()).orElseThrow();
        assertThat(current.claim(owner, at, lease(), properties.jobs().maxAttempts())).isTrue();
        jobs.save(current);
        return jobs.findById(job.id()).orElseThrow();
    }

    private Duration lease() {
        return properties.jobs().leaseDuration();
    }
}
