package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefitMembersTest {

    @Test
    void onlyMembersThatTrainedAnEpochAreMerged() {
        List<TrainingResult> results = List.of(ran(3), ran(0), ran(12), ran(0), ran(1));

        assertThat(Refit.trainedMembers(results)).containsExactly(0, 2, 4);
    }

    @Test
    void whenNoMemberTrainedTheFirstStandsAsAOneNetworkRefitWould() {
        assertThat(Refit.trainedMembers(List.of(ran(0), ran(0), ran(0)))).containsExactly(0);
    }

    @Test
    void everyMemberIsMergedWhenEachTrained() {
        assertThat(Refit.trainedMembers(List.of(ran(5), ran(7), ran(2), ran(9), ran(4)))).containsExactly(0, 1, 2, 3, 4);
    }

    private static TrainingResult ran(int epochs) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            history.add(new EpochMetrics(e, 1.0 / e, null, 0, null, 0.01, e));
        }
        return new TrainingResult(history, epochs == 0 ? StopReason.TIME_LIMIT : StopReason.EARLY_STOPPED, epochs, epochs);
    }
}
