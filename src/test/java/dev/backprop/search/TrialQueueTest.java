package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobTestFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The trial queue's claims and leases, on H2 (a conditional update on the attempt); a subclass runs them on
 * PostgreSQL (one {@code FOR UPDATE SKIP LOCKED} statement). Leases are 30 s (the default), times are explicit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class TrialQueueTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired
    JobRepository jobs;

    @Autowired
    TrialQueue queue;

    @Autowired
    TrialRepository trials;

    /** A running search (its lease held by runner-search) with {@code count} queued trials, 0 first, 2 at once. */
    private Job runningSearchWith(int count) {
        return runningSearchWith(count, 2);
    }

    /** A running search with {@code count} queued trials, 0 first, {@code parallelism} at once on every runner together. */
    private Job runningSearchWith(int count, int parallelism) {
        Job job = JobTestFixtures.storedJob(jobs);
        job.claim("runner-search", Instant.now(), Duration.ofHours(1), 3);
        jobs.save(job);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        queue.publish(job.id(), order, i -> Map.of("learningRate", 0.1 * (i + 1)), parallelism, null);
        return job;
    }

    private static TrialRecord succeeded(TrialQueue.ClaimedTrial trial) {
        return new TrialRecord(trial.index(), trial.params(), "SUCCEEDED", 0.9, 0.0, null, 5, null, 1, null, 0.2, 10L, 3);
    }

    @Test
    void claimsTakeTheTrialsInTheirOrderOnceEachWithTheirParameters() {
        Job search = runningSearchWith(2);
        TrialQueue.ClaimedTrial first = queue.claim("runner-a", NOW, search.id()).orElseThrow();
        TrialQueue.ClaimedTrial second = queue.claim("runner-b", NOW, search.id()).orElseThrow();
        assertThat(first.index()).isZero();
        assertThat(first.params()).isEqualTo(Map.of("learningRate", 0.1));
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.parallelism()).isEqualTo(2);
        assertThat(second.index()).isEqualTo(1);
        assertThat(queue.claim("runner-c", NOW, search.id())).isEmpty();
        assertThat(queue.claim("runner-c", NOW, null)).isEmpty();
        assertThat(queue.running(search.id(), NOW)).extracting(TrialQueue.RunningTrial::owner).containsExactly("runner-a", "runner-b");
    }

    @Test
    void aTrialWhoseLeaseRanOutIsClaimedAgainAndTheFirstClaimCannotStoreIt() {
        Job search = runningSearchWith(1);
        TrialQueue.ClaimedTrial dead = queue.claim("runner-dead", NOW, search.id()).orElseThrow();
        assertThat(queue.claim("runner-live", NOW.plus(LEASE).minusMillis(1), search.id())).isEmpty();
        TrialQueue.ClaimedTrial live = queue.claim("runner-live", NOW.plus(LEASE).plusMillis(1), search.id()).orElseThrow();
        assertThat(live.attempt()).isEqualTo(2);

        assertThat(queue.heartbeat(dead, 5, NOW.plusSeconds(31))).isFalse();
        assertThat(queue.heartbeat(live, 5, NOW.plusSeconds(31))).isTrue();
        assertThat(queue.finish(dead, succeeded(dead))).isFalse();
        assertThat(queue.finish(live, succeeded(live))).isTrue();
        assertThat(queue.remaining(search.id())).isZero();
        assertThat(trials.workers(search.id())).isEqualTo(Map.of(0, "runner-live"));
    }

    @Test
    void aCancelRequestedSearchHasNoTrialToClaimAndItsRunningTrialsLearnItAtTheirHeartbeat() {
        Job search = runningSearchWith(2);
        TrialQueue.ClaimedTrial running = queue.claim("runner-a", NOW, search.id()).orElseThrow();
        Job stored = jobs.findById(search.id()).orElseThrow();
        stored.requestCancel(Instant.now());
        jobs.save(stored);
        assertThat(queue.claim("runner-b", NOW, null)).isEmpty();
        assertThat(queue.heartbeat(running, 3, NOW.plusSeconds(1))).isFalse();
    }

    @Test
    void aTrialWhoseRunnersAllStoppedIsGivenUp() {
        Job search = runningSearchWith(1);
        Instant at = NOW;
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(queue.claim("runner-" + attempt, at, search.id())).isPresent();
            assertThat(queue.exhausted(search.id(), at)).isEmpty();
            at = at.plus(LEASE).plusSeconds(1);
        }
        assertThat(queue.claim("runner-4", at, search.id())).isEmpty();
        List<TrialQueue.ClaimedTrial> exhausted = queue.exhausted(search.id(), at);
        assertThat(exhausted).extracting(TrialQueue.ClaimedTrial::index).containsExactly(0);
        queue.giveUp(exhausted.get(0), new TrialRecord(0, exhausted.get(0).params(), "FAILED", null, null, null, 0, "stopped", 1,
                null, null, null, null));
        assertThat(queue.remaining(search.id())).isZero();
        assertThat(trials.findTrials(search.id(), false)).extracting(TrialRecord::status).containsExactly("FAILED");
    }

    @Test
    void runnersClaimingAtOnceNeverTakeTheSameTrial() throws Exception {
        Job search = runningSearchWith(40, 40);
        List<Integer> all = claimAtOnce(4, search);
        Set<Integer> distinct = new HashSet<>(all);
        assertThat(all).hasSize(40);
        assertThat(distinct).hasSize(40);
        assertThat(Collections.max(distinct)).isEqualTo(39);
    }

    @Test
    void aSearchsParallelismCapsItsLiveClaimsOnEveryRunnerTogether() {
        Job search = runningSearchWith(5, 2);
        TrialQueue.ClaimedTrial a = queue.claim("runner-a", NOW, search.id()).orElseThrow();
        TrialQueue.ClaimedTrial b = queue.claim("runner-b", NOW, null).orElseThrow();
        // two claims live, on two runners: a third runner, asking for this search or any, gets none
        assertThat(queue.claim("runner-c", NOW, search.id())).isEmpty();
        assertThat(queue.claim("runner-c", NOW, null)).isEmpty();
        assertThat(queue.finish(a, succeeded(a))).isTrue();
        TrialQueue.ClaimedTrial c = queue.claim("runner-c", NOW, search.id()).orElseThrow();
        assertThat(queue.claim("runner-a", NOW, null)).isEmpty();
        // a claim whose lease ran out holds no place: its runner died
        assertThat(queue.heartbeat(c, 1, NOW.plusSeconds(20))).isTrue();
        Instant later = NOW.plus(LEASE).plusSeconds(1);
        assertThat(queue.claim("runner-a", later, search.id())).isPresent();
        assertThat(queue.claim("runner-d", later, search.id())).isEmpty();
        assertThat(b.index()).isNotEqualTo(c.index());
    }

    @Test
    void runnersClaimingAtOnceTakeNoMoreThanTheSearchsParallelism() throws Exception {
        Job search = runningSearchWith(40, 3);
        assertThat(claimAtOnce(4, search)).hasSize(3).doesNotHaveDuplicates();
        assertThat(queue.running(search.id(), NOW)).hasSize(3);
    }

    /** What {@code claimers} runners claiming at once, each until it gets none, took of {@code search}. */
    private List<Integer> claimAtOnce(int claimers, Job search) throws Exception {
        // test threads only: claimers at once, as several replicas' schedulers
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<List<Integer>>> tasks = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "runner-" + c;
                tasks.add(() -> {
                    start.await();
                    List<Integer> taken = new ArrayList<>();
                    for (Optional<TrialQueue.ClaimedTrial> t = queue.claim(owner, NOW, search.id()); t.isPresent();
                         t = queue.claim(owner, NOW, search.id())) {
                        taken.add(t.get().index());
                    }
                    return taken;
                });
            }
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (Callable<List<Integer>> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> taken : futures) {
                all.addAll(taken.get(60, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
