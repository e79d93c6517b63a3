package dev.backprop.job.web;

import dev.backprop.job.Job;
import dev.backprop.platform.BackpropProperties;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingRehearsal;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Once the service is ready, sends a tiny synthetic training job of each precision through the code a user's first job
 * meets: the request read from JSON and validated, mapped, resolved (the submit's check), its dry-run and its 202
 * answers written, then its stored documents written and read back, and the job planned, trained for two epochs and
 * evaluated in memory ({@link TrainingRehearsal}). Nothing is stored,
 * queued or shown. Measured on T4 (bench/NOTES.md, eighth session), the service's first submit took seconds more than
 * the next ones: class loading, Jackson's and the validator's first look at the request types, interpreted code.
 *
 * <p>It runs on one daemon thread of minimum priority (a hint the JVM passes to Linux only with
 * {@code -XX:ThreadPriorityPolicy}), started from the readiness event and never waited for, so readiness is not delayed;
 * a job submitted meanwhile shares the cores with it for about a second. A failure is logged and changes nothing else.
 * An API-only replica ({@code backprop.jobs.runner-enabled=false}) warms the submit only.
 * {@code backprop.jobs.warm-up=false} turns it off.
 */
@Component
class SubmitWarmup {

    private static final Logger log = LoggerFactory.getLogger(SubmitWarmup.class);
    /** Enough rows and columns that the preparation's tile and column loops run many times over, yet a few ms of work. */
    private static final int ROWS = 1_000;
    private static final int FEATURES = 16;
    private static final int CLASSES = 3;

    private final JsonMapper json;
    private final Validator validator;
    private final TrainingJobMapper mapper;
    private final JobSpecResolver resolver;
    private final TrainingRehearsal rehearsal;
    private final boolean enabled;
    private final boolean trains;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int rehearsed;
    private volatile String threadName;
    private volatile int threadPriority;
    private volatile boolean threadDaemon;

    SubmitWarmup(JsonMapper json, Validator validator, TrainingJobMapper mapper, JobSpecResolver resolver,
                 TrainingRehearsal rehearsal, BackpropProperties properties) {
        this.json = json;
        this.validator = validator;
        this.mapper = mapper;
        this.resolver = resolver;
        this.rehearsal = rehearsal;
        this.enabled = properties.jobs().warmUp();
        this.trains = properties.jobs().runnerEnabled();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!enabled) {
            return;
        }
        Thread thread = new Thread(this::warmUp, "warm-up");
        thread.setDaemon(true);  // never holds a shutdown
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Runs the synthetic job at each precision; logs what it took. */
    void warmUp() {
        threadName = Thread.currentThread().getName();
        threadPriority = Thread.currentThread().getPriority();
        threadDaemon = Thread.currentThread().isDaemon();
        long start = System.nanoTime();
        try {
            String csv = syntheticCsv();
            for (String precision : new String[] {"float64", "float32"}) {
                submitAndTrain(request(csv, precision));
                rehearsed++;
            }
            log.info("Warmed up the submit{} path (both precisions) in {} s", trains ? " and training" : "",
                    String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
        } catch (RuntimeException e) {
            log.warn("The start-up warm-up failed; the first job will pay for loading its code", e);
        } finally {
            finished.countDown();
        }
    }

    /** What {@code POST /jobs?dryRun=true} does with a request, then what the runner does with the job. */
    private void submitAndTrain(byte[] body) {
        TrainingJobRequest request = json.readValue(body, TrainingJobRequest.class);
        if (!validator.validate(request).isEmpty()) {
            throw new IllegalStateException("the warm-up's request is not valid: " + validator.validate(request));
        }
        mapper.search(request);
        TrainingData data = mapper.data(request.data());
        ResolvedTrainingJob resolved = resolver.resolve(mapper.spec(request), data);
        json.writeValueAsBytes(DryRunResponse.of(resolved));
        // the 202's answer, for a job that exists only here: nothing is stored or queued
        Instant now = Instant.now();
        json.writeValueAsBytes(JobResponse.of(Job.submit(resolved, now), now, null, List.of(), List.of()));
        if (trains) {  // an API-only replica never prepares or trains a job
            rehearsal.rehearse(resolved, data);
        }
    }

    /**
     * The service's defaults at one precision, two epochs: what a first job most often is. The request names no option
     * of a benchmark's, so the warm-up favours no one's settings; the code every job meets (the read, the check, the
     * split, the fit, the encoding, the plan, the training loop) is the same whatever the options.
     */
    private byte[] request(String csv, String precision) {
        String request = """
                {"name": "warm-up",
                 "data": {"csv": %s, "targetColumn": "y"},
                 "network": {"precision": "%s"},
                 "training": {"epochs": 2, "seed": 42}}
                """.formatted(json.writeValueAsString(csv), precision);
        return request.getBytes(StandardCharsets.UTF_8);
    }

    /** Numbers of four decimals, and a class that depends on them (so the network has something to fit). */
    private static String syntheticCsv() {
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            csv.append('x').append(f).append(',');
        }
        csv.append("y\n");
        SplittableRandom random = new SplittableRandom(42);
        for (int r = 0; r < ROWS; r++) {
            double sum = 0;
            for (int f = 0; f < FEATURES; f++) {
                double value = Math.round(random.nextGaussian() * 1e4) / 1e4;
                sum += f % 2 == 0 ? value : -value;
                csv.append(value).append(',');
            }
            csv.append(Math.floorMod((int) Math.floor(sum), CLASSES)).append('\n');
        }
        return csv.toString();
    }

    /** Waits up to {@code timeout} for the warm-up to end; whether it did. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The synthetic jobs that went through every step, 2 when the warm-up succeeded. */
    int rehearsed() {
        return rehearsed;
    }

    /** The thread the warm-up ran on: its name, priority and whether it is a daemon, for the test that it ran apart. */
    String thread() {
        return threadName == null ? null : threadName + "/" + threadPriority + "/" + (threadDaemon ? "daemon" : "user");
    }
}
