package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {

    private static TrialRecord trial(int index, int rung, Double score) {
        return new TrialRecord(index, Map.of(), score == null ? "FAILED" : "SUCCEEDED", score, null, null, 1, null, 0, null, null, null,
                null, rung, 3, TrialRecord.HALVING);
    }

    @Test
    void rungsShrinkTheTrialsAndGrowTheEpochsByEta() {
        SuccessiveHalving halving = SuccessiveHalving.of(10, 27, 3);
        assertThat(halving.lastRung()).isEqualTo(2);
        assertThat(List.of(halving.survivors(0), halving.survivors(1), halving.survivors(2))).containsExactly(10, 3, 1);
        assertThat(halving.epochShare(0) * 27).isEqualTo(3.0);
        assertThat(halving.epochShare(2)).isEqualTo(1.0);
        // the epochs bound the rungs too: 2 epochs leave no room for a second rung
        assertThat(SuccessiveHalving.lastRung(27, 2, 3)).isZero();
    }

    @Test
    void theBestAreReplacedAfterARestartByTheSameOnes() {
        SuccessiveHalving halving = SuccessiveHalving.of(9, 9, 3);
        Map<Integer, TrialRecord> latest = new HashMap<>();
        double[] scores = {0.5, 0.9, 0.6, 0.8, 0.7, 0.55, 0.65, 0.4, 0.3};
        for (int i = 0; i < scores.length; i++) {
            latest.put(i, trial(i, 0, scores[i]));
        }
        latest.put(8, trial(8, 0, null));
        List<Integer> all = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(halving.promoted(0, all, latest, true)).containsExactly(1, 3, 4);
        // trial 3 already ran rung 1 before a restart (its rung-0 score replaced): the other places go as before
        latest.put(3, trial(3, 1, 0.1));
        assertThat(halving.promoted(0, all, latest, true)).containsExactly(1, 3, 4);
    }

    @Test
    void stoppedTrialsRankAfterThoseThatTrainedFurther() {
        TrialRecord full = new TrialRecord(0, Map.of(), "SUCCEEDED", 0.6, null, null, 1, null, 0, null, null, null, null);
        TrialRecord stopped = new TrialRecord(1, Map.of(), "SUCCEEDED", 0.9, null, null, 1, null, 0, null, null, null, null, 0, 5,
                TrialRecord.MEDIAN_STOPPING);
        TrialRecord failed = new TrialRecord(2, Map.of(), "FAILED", null, null, null, 1, null, 0, null, null, null, null);
        int[] ranks = TrialRanking.rankStandings(List.of(full.standing(), stopped.standing(), failed.standing()), true);
        assertThat(ranks).containsExactly(1, 2, 3);
    }
}
