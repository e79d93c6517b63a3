package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.model.Warning;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trial stopped early is not a full-budget trial: neither the best score nor a tie. */
class TrialStandingTest {

    private static TrialRecord full(int index, double score) {
        return new TrialRecord(index, Map.of(), "SUCCEEDED", score, null, null, 1, null, 0, null, 0.3, 10L, 5);
    }

    private static TrialRecord stopped(int index, double score, String why, int rung) {
        return new TrialRecord(index, Map.of(), "SUCCEEDED", score, null, null, 1, null, 0, null, 0.1, 10L, 2, rung, 3, why);
    }

    @Test
    void aTrialStoppedEarlyWithAHigherScoreDoesNotOutrankOneThatTrainedItsBudget() {
        assertThat(TrialRanking.outranks(full(0, 0.8).standing(), stopped(1, 0.9, TrialRecord.MEDIAN_STOPPING, 0).standing(), true))
                .isTrue();
        assertThat(TrialRanking.outranks(stopped(1, 0.9, TrialRecord.MEDIAN_STOPPING, 0).standing(), full(0, 0.8).standing(), true))
                .isFalse();
        assertThat(TrialRanking.outranks(full(0, 0.9).standing(), full(1, 0.8).standing(), true)).isTrue();
    }

    @Test
    void trialsStoppedEarlyAtTheBestsScoreAreNoTie() {
        TrialRecord best = full(0, 0.9);
        SearchMetric accuracy = SearchMetric.named("accuracy");
        List<TrialRecord> finished = List.of(best, stopped(1, 0.9, TrialRecord.MEDIAN_STOPPING, 0),
                stopped(2, 0.9, TrialRecord.HALVING, 0), full(3, 0.7));
        assertThat(SearchExecution.tieWarning(finished, best, accuracy)).isEmpty();
        List<Warning> tied = SearchExecution.tieWarning(List.of(best, full(1, 0.9), stopped(2, 0.9, TrialRecord.HALVING, 0)), best,
                accuracy);
        assertThat(tied).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(Warning.TIED_TRIALS);
            assertThat(w.message()).startsWith("2 trials tie");
        });
    }
}
