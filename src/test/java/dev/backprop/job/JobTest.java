package dev.backprop.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.platform.ProblemType;
import dev.backprop.training.TrainingFixtures;
import dev.backprop.training.TrainingOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    static Job newJob() {
        return Job.submit(TrainingFixtures.smallResolvedJob(), T0);
    }

    @Test
    void theHappyPath() {
        Job job = newJob();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.claim("a", T0, LEASE, 3)).isTrue();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.leaseExpiresAt()).isEqualTo(T0.plus(LEASE));
        job.progress(100);
        assertThat(job.progressFraction()).isLessThan(1.0);
        UUID model = UUID.randomUUID();
        job.succeed(model, TrainingFixtures.completed(100), T0.plusSeconds(5));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.progressFraction()).isEqualTo(1.0);
        assertThat(job.modelId()).isEqualTo(model);
        assertThat(job.leaseOwner()).isNull();
    }

    @Test
    void aQueuedJobIsCancelledAtOnceAndARunningOneWindsDown() {
        Job queued = newJob();
        queued.requestCancel(T0);
        assertThat(queued.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(queued.finishedAt()).isEqualTo(T0);

        Job running = newJob();
        running.claim("a", T0, LEASE, 3);
        running.requestCancel(T0);
        assertThat(running.status()).isEqualTo(JobStatus.CANCEL_REQUESTED);
        running.requestCancel(T0);
        running.cancelled(TrainingOutcome.cancelled(), T0.plusSeconds(1));
        assertThat(running.status()).isEqualTo(JobStatus.CANCELLED);
        assertThatThrownBy(() -> running.requestCancel(T0)).isInstanceOf(JobStateException.class).hasMessageContaining("CANCELLED");
    }

    @Test
    void aCancelRequestedBeforeTheOutcomeArrivesWinsOverIt() {
        TrainingOutcome completed = new TrainingOutcome(dev.backprop.nn.StopReason.COMPLETED, 10, null);
        Job cancelled = newJob();
        cancelled.claim("a", T0, LEASE, 3);
        cancelled.requestCancel(T0);
        cancelled.succeedUnlessCancelled(UUID.randomUUID(), completed, TrainingOutcome.cancelled(), T0.plusSeconds(1));
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.modelId()).isNull();
        assertThat(cancelled.stopReason()).isEqualTo("CANCELLED");

        Job running = newJob();
        running.claim("a", T0, LEASE, 3);
        UUID model = UUID.randomUUID();
        running.succeedUnlessCancelled(model, completed, TrainingOutcome.cancelled(), T0.plusSeconds(1));
        assertThat(running.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(running.modelId()).isEqualTo(model);
    }

    @Test
    void transitionsGuardTheCurrentStatus() {
        Job job = newJob();
        assertThatThrownBy(() -> job.succeed(UUID.randomUUID(), TrainingFixtures.completed(1), T0)).isInstanceOf(JobStateException.class)
                .hasMessageContaining("QUEUED");
        assertThatThrownBy(() -> job.requireEnded("be deleted")).hasMessageContaining("only an ended job can be deleted");
        job.claim("a", T0, LEASE, 3);
        assertThatThrownBy(() -> job.claim("b", T0.plusSeconds(1), LEASE, 3)).isInstanceOf(JobStateException.class);
        job.fail(ProblemType.TRAINING_FAILED, "diverged", T0);
        assertThatThrownBy(() -> job.fail(ProblemType.INTERNAL, "y", T0)).isInstanceOf(JobStateException.class);
    }

    @Test
    void anExpiredLeaseIsTakenUpAgainUntilTheAttemptLimit() {
        Job job = newJob();
        job.claim("a", T0, LEASE, 2);
        assertThat(job.isClaimable(T0.plusSeconds(10))).isFalse();
        Instant later = T0.plus(LEASE).plusSeconds(1);
        assertThat(job.isClaimable(later)).isTrue();
        assertThat(job.claim("b", later, LEASE, 2)).isTrue();
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.leaseOwner()).isEqualTo("b");
        Instant muchLater = later.plus(LEASE).plusSeconds(1);
        assertThat(job.claim("c", muchLater, LEASE, 2)).isFalse();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error().detail()).contains("interrupted 2 times");
        assertThat(job.error().type()).isEqualTo(ProblemType.JOB_INTERRUPTED);
    }

    @Test
    void anExpiredJobWhoseCancelWasRequestedEndsCancelled() {
        Job job = newJob();
        job.claim("a", T0, LEASE, 3);
        job.requestCancel(T0);
        assertThat(job.claim("b", T0.plus(LEASE).plusSeconds(1), LEASE, 3)).isFalse();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
    }
}
