package dev.backprop.search;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The re-scores' splits and how a trial measured on several of them is combined: hand-computed cases. */
class RescoreTest {

    @Test
    void theSecondSplitIsTheOneEarlierSearchesDrewAndEachFurtherSplitIsAnotherStream() {
        // repeat 1 is the search seed's first split stream, as before repeats: stored searches re-score the same way
        assertThat(Rescore.splitRandom(7, 1).nextLong()).isEqualTo(new SplittableRandom(7).split().nextLong());
        long second = Rescore.splitRandom(7, 1).nextLong();
        long third = Rescore.splitRandom(7, 2).nextLong();
        long fourth = Rescore.splitRandom(7, 3).nextLong();
        assertThat(List.of(second, third, fourth)).doesNotHaveDuplicates()
                .doesNotContain(new SplittableRandom(7).nextLong());
        assertThat(Rescore.splitRandom(7, 3).nextLong()).isEqualTo(fourth);
        assertThatThrownBy(() -> Rescore.splitRandom(7, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTrialOnThreeSplitsIsTheMeanOfItsNineFoldsInSplitOrderAndTheTimeOfAll() {
        TrialRecord first = trial(List.of(0.9, 1.0, 0.8), 100, 0.3, 10);
        TrialRecord second = trial(List.of(0.7, 0.9, 0.8), 120, 0.5, 14);
        TrialRecord third = trial(List.of(1.0, 1.0, 0.7), 110, 0.4, 15);
        TrialRecord combined = Rescore.combined(first, List.of(second, third));
        assertThat(combined.foldScores()).containsExactly(0.9, 1.0, 0.8, 0.7, 0.9, 0.8, 1.0, 1.0, 0.7);
        assertThat(combined.score()).isCloseTo(7.8 / 9, within(EXACT));
        double mean = 7.8 / 9;
        double variance = List.of(0.9, 1.0, 0.8, 0.7, 0.9, 0.8, 1.0, 1.0, 0.7).stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / 9;
        assertThat(combined.scoreStd()).isCloseTo(Math.sqrt(variance), within(EXACT));
        assertThat(combined.validationLoss()).isCloseTo(0.4, within(EXACT));
        assertThat(combined.bestEpoch()).isEqualTo(13);
        assertThat(combined.fitMillis()).isEqualTo(330);
        assertThat(combined.rung()).isEqualTo(1);
        assertThat(combined.index()).isEqualTo(first.index());
    }

    @Test
    void aSplitWithoutAValidationLossLeavesTheCombinedLossUnknown() {
        TrialRecord combined = Rescore.combined(trial(List.of(0.9), 1, 0.3, 4), List.of(trial(List.of(0.8), 1, null, 6)));
        assertThat(combined.validationLoss()).isNull();
        assertThat(combined.bestEpoch()).isEqualTo(5);
    }

    @Test
    void theMostRegularisedReScoredTrialWithinOneStandardErrorOfTheBestIsKept() {
        // the best: mean 0.95 over 4 folds, population std 0.05, standard error 0.025: the band reaches down to 0.925
        TrialRecord best = rescored(0, List.of(0.9, 1.0, 0.9, 1.0), 1e-5);
        TrialRecord inBand = rescored(1, List.of(0.9, 0.95, 0.9, 1.0), 1e-3);
        TrialRecord below = rescored(2, List.of(0.9, 0.9, 0.9, 0.9), 1e-2);
        TrialRecord once = new TrialRecord(3, Map.of("l2", 0.1), "SUCCEEDED", 0.99, 0.0, List.of(0.99, 0.99, 0.99), 1, null, 42,
                null, null, 100L, 5, 0, 50, null);
        List<TrialRecord> trials = List.of(best, inBand, below, once);
        // the re-scored rank first; the trial scored once ranks after them whatever its score
        int[] ranks = {1, 2, 3, 4};
        assertThat(Rescore.oneStandardError(trials, ranks, true)).isEqualTo(1);
        // for a loss (lower is better) the band is above the best
        TrialRecord lossBest = rescored(0, List.of(0.1, 0.2, 0.1, 0.2), 1e-5);
        TrialRecord lossInBand = rescored(1, List.of(0.15, 0.2, 0.15, 0.15), 1e-4);
        TrialRecord lossOut = rescored(2, List.of(0.3, 0.3, 0.3, 0.3), 1e-2);
        assertThat(Rescore.oneStandardError(List.of(lossBest, lossInBand, lossOut), new int[] {1, 2, 3}, false)).isEqualTo(1);
    }

    @Test
    void withoutReScoresOrWithNothingInTheBandTheFirstRankedStays() {
        TrialRecord first = new TrialRecord(0, Map.of("l2", 1e-6), "SUCCEEDED", 0.9, 0.0, List.of(0.9, 0.9, 0.9), 1, null, 42,
                null, null, 100L, 5, 0, 50, null);
        TrialRecord second = new TrialRecord(1, Map.of("l2", 1e-2), "SUCCEEDED", 0.9, 0.0, List.of(0.9, 0.9, 0.9), 1, null, 42,
                null, null, 100L, 5, 0, 50, null);
        assertThat(Rescore.oneStandardError(List.of(second, first), new int[] {2, 1}, true)).isEqualTo(1);
        // a best with no spread has no band: an equal mean of more L2 is within it, a lower one is not
        TrialRecord steady = rescored(0, List.of(0.95, 0.95, 0.95, 0.95), 1e-6);
        TrialRecord equal = rescored(1, List.of(0.9, 1.0, 0.9, 1.0), 1e-3);
        TrialRecord lower = rescored(2, List.of(0.94, 0.94, 0.94, 0.94), 1e-2);
        assertThat(Rescore.oneStandardError(List.of(steady, equal, lower), new int[] {1, 1, 3}, true)).isEqualTo(1);
        assertThat(Rescore.oneStandardError(List.of(steady, lower), new int[] {1, 2}, true)).isZero();
    }

    private static TrialRecord rescored(int index, List<Double> folds, double l2) {
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new TrialRecord(index, Map.of("l2", l2), "SUCCEEDED", mean, 0.0, folds, 1, null, 42, null, null, 100L, 5, 1, 50, null);
    }

    private static TrialRecord trial(List<Double> folds, long millis, Double loss, int bestEpoch) {
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new TrialRecord(3, Map.of("learningRate", 0.01), "SUCCEEDED", mean, 0.0, folds, millis, null, 42, null, loss, 100L,
                bestEpoch, 0, 50, null);
    }
}
