package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistoryThinningTest {

    @Test
    void aRunNoLongerThanTheExactEpochsKeepsEveryEpoch() {
        HistoryThinning thinning = new HistoryThinning(10_000, 10_000, 10_000);
        assertThat(thinning.stride()).isEqualTo(1);
        assertThat(IntStream.rangeClosed(1, 10_000).allMatch(thinning::keeps)).isTrue();
        assertThat(thinning.maxStored()).isEqualTo(10_000);
    }

    @Test
    void beyondTheExactEpochsEveryKthIsKeptAndAtMostThinnedEpochsOfThem() {
        HistoryThinning thinning = new HistoryThinning(10_000, 10_000, 100_000);
        assertThat(thinning.stride()).isEqualTo(9);
        int[] kept = IntStream.rangeClosed(1, 100_000).filter(thinning::keeps).toArray();
        assertThat(kept).hasSize(20_000);
        assertThat(kept[9_999]).isEqualTo(10_000);
        assertThat(kept[10_000]).isEqualTo(10_009);
        assertThat(kept[kept.length - 1]).isEqualTo(100_000);
        assertThat(thinning.maxStored()).as("the kept ones, the last and the best").isEqualTo(20_002);
    }

    @Test
    void theStrideRoundsUpSoThatTheBoundHoldsForEveryLength() {
        for (int epochs : new int[]{10_001, 20_000, 20_001, 33_333, 99_999}) {
            HistoryThinning thinning = new HistoryThinning(10_000, 10_000, epochs);
            long kept = IntStream.rangeClosed(10_001, epochs).filter(thinning::keeps).count();
            assertThat(kept).as("%d epochs", epochs).isLessThanOrEqualTo(10_000);
            assertThat(10_000 + kept + 2).isLessThanOrEqualTo(thinning.maxStored());
        }
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new HistoryThinning(10, 0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryThinning(-1, 10, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
