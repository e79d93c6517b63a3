package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperbandTest {

    @Test
    void bracketsShareTheTrialsInThePapersProportionsAndEndAtTheFullEpochs() {
        // 27 trials of 27 epochs, η = 3: s_max = 3, the paper's n_s = 27, 12, 6, 4 (49) scaled to 27
        Hyperband hyperband = Hyperband.of(27, 27, 3);
        List<SuccessiveHalving> brackets = hyperband.brackets();
        assertThat(brackets).hasSize(4);
        assertThat(brackets.stream().mapToInt(SuccessiveHalving::trials).sum()).isEqualTo(27);
        assertThat(brackets.stream().map(SuccessiveHalving::firstRung).toList()).containsExactly(0, 1, 2, 3);
        assertThat(brackets.stream().map(SuccessiveHalving::lastRung).distinct().toList()).containsExactly(3);
        // the most exploratory bracket holds the most trials, and each starts where the previous ended
        assertThat(brackets.get(0).trials()).isGreaterThan(brackets.get(1).trials());
        for (int i = 1; i < brackets.size(); i++) {
            assertThat(brackets.get(i).first()).isEqualTo(brackets.get(i - 1).first() + brackets.get(i - 1).trials());
        }
        // a rung means the same epochs in every bracket: rung 0 one epoch, rung 3 all 27
        assertThat(hyperband.epochShare(0) * 27).isEqualTo(1.0);
        assertThat(hyperband.epochShare(3)).isEqualTo(1.0);
        assertThat(Hyperband.shares(27, 3, 3)).containsExactly(15, 7, 3, 2);
    }

    @Test
    void everyTrialRunsInItsBracketsRungsAndTheRunsAddUpToTheTotal() {
        Hyperband hyperband = Hyperband.of(9, 9, 3);
        List<String> runs = new ArrayList<>();
        List<TrialRecord> stored = new ArrayList<>();
        hyperband.run(() -> List.copyOf(stored), (rung, firstRun, pending, latest) -> pending.forEach(i -> {
            runs.add(i + "@" + rung + (firstRun ? " first" : ""));
            stored.removeIf(t -> t.index() == i);
            stored.add(new TrialRecord(i, Map.of(), "SUCCEEDED", (double) i, null, null, 1, null, 0, null, null, null, null,
                    rung, 1, rung < hyperband.lastRung() ? TrialRecord.HALVING : null));
        }), () -> false, true);
        assertThat(runs).hasSize(hyperband.runs());
        // every trial's last record counts all the runs it made
        assertThat(stored.stream().mapToInt(hyperband::runsSoFar).sum()).isEqualTo(hyperband.runs());
        // the last bracket trains its trials once, at the full epochs
        SuccessiveHalving last = hyperband.brackets().get(hyperband.brackets().size() - 1);
        assertThat(last.firstRung()).isEqualTo(hyperband.lastRung());
        assertThat(runs).contains(last.first() + "@" + hyperband.lastRung() + " first");
    }

    @Test
    void plainHalvingIsOneBracket() {
        Hyperband halving = Hyperband.halving(9, 27, 3);
        assertThat(halving.brackets()).hasSize(1);
        assertThat(halving.runs()).isEqualTo(9 + 3 + 1);
    }
}
