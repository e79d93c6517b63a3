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

    private static TrialRecord trial(List<Double> folds, long millis, Double loss, int bestEpoch) {
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new TrialRecord(3, Map.of("learningRate", 0.01), "SUCCEEDED", mean, 0.0, folds, millis, null, 42, null, loss, 100L,
                bestEpoch, 0, 50, null);
    }
}
