package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.job.Job;
import dev.backprop.job.JobRepository;
import dev.backprop.job.JobTestFixtures;
import dev.backprop.training.EpochRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The trial table, on H2; a subclass runs it on PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "backprop.jobs.runner-enabled=false")
class TrialRepositoryTest {

    @Autowired
    JobRepository jobs;

    @Autowired
    TrialRepository trials;

    /** A failed trial as a search records one: no score, fold scores, history or tie-breakers. */
    private static TrialRecord failedTrial(int index, Map<String, Object> params, long fitMillis, String error, long seed) {
        return new TrialRecord(index, params, "FAILED", null, null, null, fitMillis, error, seed, null, null, null, null);
    }

    @Test
    void trialsRoundTripWithTheirHistory() {
        Job job = JobTestFixtures.storedJob(jobs);
        List<EpochRecord> history = List.of(new EpochRecord(1, 0.5, null, 0.75, null, 0.1, 12),
                new EpochRecord(2, 0.25, 0.3, 1.0, 0.95, 0.05, 30));
        trials.insertTrial(job.id(), new TrialRecord(0, Map.of("learningRate", 0.1, "activation", "tanh"), "SUCCEEDED", 0.95,
                0.01, List.of(0.94, 0.96), 42, null, 7, history, 0.21, 33L, 12));
        trials.insertTrial(job.id(), failedTrial(1, Map.of("learningRate", 1.0, "activation", "relu"), 3, "diverged", 8));
        List<TrialRecord> stored = trials.findTrials(job.id(), true);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).history()).isEqualTo(history);
        assertThat(stored.get(0).foldScores()).containsExactly(0.94, 0.96);
        assertThat(stored.get(0).params()).containsEntry("activation", "tanh");
        assertThat(stored.get(1).error()).isEqualTo("diverged");
        assertThat(stored.get(0).standing()).isEqualTo(new TrialRanking.Standing(0.95, 0.21, 33L));
        assertThat(stored.get(0).bestEpoch()).isEqualTo(12);
        assertThat(stored.get(1).standing()).isEqualTo(new TrialRanking.Standing(null, null, null));
        assertThat(stored.get(1).bestEpoch()).isNull();
        assertThat(trials.findTrials(job.id(), false).get(0).history()).isNull();
    }

    @Test
    void theMeanFitTimeCountsEveryFinishedTrial() {
        Job job = JobTestFixtures.storedJob(jobs);
        assertThat(trials.meanFitMillis(job.id())).isNull();
        trials.insertTrial(job.id(), failedTrial(0, Map.of("learningRate", 1.0), 30, "diverged", 1));
        trials.insertTrial(job.id(), failedTrial(1, Map.of("learningRate", 2.0), 45, "diverged", 2));
        assertThat(trials.meanFitMillis(job.id())).isEqualTo(37.5);
    }
}
