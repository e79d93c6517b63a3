package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Task;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bootstrap spread of a holdout score, against the binomial standard error it estimates. */
class HoldoutSpreadTest {

    @Test
    void theSpreadOfAnAccuracyOfOneHalfOnAHundredRowsIsAboutTheBinomialStandardError() {
        int rows = 100;
        double[] targets = new double[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = r % 2;
        }
        double[] outputs = new double[rows];
        Arrays.fill(outputs, 0.9);
        LabeledData validation = new LabeledData(new double[rows], targets, rows, 1, 1);
        Double spread = HoldoutSpread.of(SearchMetric.named("accuracy"), outputs, validation, Task.CLASSIFICATION, List.of(0L, 1L), 7);
        // sqrt(p(1 − p) / n) = 0.05; a bootstrap of 100 resamples lands within about 15% of it
        assertThat(spread).isBetween(0.04, 0.06);
    }

    @Test
    void aPerfectModelHasNoSpreadAndTheSameSeedGivesTheSameSpread() {
        double[] targets = {0, 1, 0, 1, 1, 0};
        double[] outputs = {0.1, 0.9, 0.2, 0.8, 0.7, 0.3};
        LabeledData validation = new LabeledData(new double[6], targets, 6, 1, 1);
        assertThat(HoldoutSpread.of(SearchMetric.named("accuracy"), outputs, validation, Task.CLASSIFICATION, List.of(0L, 1L), 1))
                .isZero();
        double[] wrongOnce = {0.1, 0.9, 0.2, 0.8, 0.7, 0.6};
        Double first = HoldoutSpread.of(SearchMetric.named("accuracy"), wrongOnce, validation, Task.CLASSIFICATION, List.of(0L, 1L), 3);
        assertThat(first).isPositive()
                .isEqualTo(HoldoutSpread.of(SearchMetric.named("accuracy"), wrongOnce, validation, Task.CLASSIFICATION, List.of(0L, 1L), 3));
    }
}
