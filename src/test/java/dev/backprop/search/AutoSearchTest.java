package dev.backprop.search;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The first trial's learning rate: adam's default scaled by the batches an epoch loses against the service's default. */
class AutoSearchTest {

    @Test
    void theRateGrowsWithTheBatchesAnEpochLoses() {
        // 120 rows: 4 batches of 32 at the default, 1 of 120 at auto's min(200, rows)
        assertThat(AutoSearch.firstLearningRate(120, 120)).isCloseTo(4e-3, within(EXACT));
        // 800 rows: 25 batches against 4
        assertThat(AutoSearch.firstLearningRate(800, 200)).isCloseTo(6.25e-3, within(EXACT));
        // a last partial batch is a step on both sides: 455 rows, 15 batches against 3
        assertThat(AutoSearch.firstLearningRate(455, 200)).isCloseTo(5e-3, within(EXACT));
    }

    @Test
    void aBatchNoLargerThanTheDefaultKeepsAdamsRateAndTheSpaceBoundsIt() {
        // 20 rows train in one batch at either size
        assertThat(AutoSearch.firstLearningRate(20, 20)).isEqualTo(1e-3);
        // a request's own smaller batch does not lower it
        assertThat(AutoSearch.firstLearningRate(3000, 1)).isEqualTo(1e-3);
        // 200,000 rows in one batch against 6,250 of 32 would be a rate of 6.25; the space's 0.1 is the most
        assertThat(AutoSearch.firstLearningRate(200_000, 200_000)).isEqualTo(AutoSearch.RATE_MAX);
    }
}
