package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.job.SearchPhase;
import org.junit.jupiter.api.Test;

/** A running search's ETA, from its trials' mean fit time and the running trials' epochs: hand-computed cases. */
class SearchReportsTest {

    @Test
    void trialsLeftRunParallelismAtATime() {
        // 5 trials of 2 s, 2 at a time: 5 s
        assertThat(SearchReports.etaSeconds(2_000, 5, 2, null)).isEqualTo(5);
        // the last trial runs alone however many could run at once
        assertThat(SearchReports.etaSeconds(2_000, 1, 4, null)).isEqualTo(2);
        // all done (the refit may still run, and is not counted)
        assertThat(SearchReports.etaSeconds(2_000, 0, 4, null)).isZero();
    }

    @Test
    void theRunningTrialsEpochsCountAsTheShareOfATrialTheyDid() {
        // 4 trials left, of which one running is three quarters through and one a quarter: 3 trials of 2 s, 2 at a time
        assertThat(SearchReports.etaSeconds(2_000, 4 - 0.75 - 0.25, 2, null)).isEqualTo(3);
        // half a trial left runs alone
        assertThat(SearchReports.etaSeconds(2_000, 0.5, 4, null)).isEqualTo(1);
    }

    @Test
    void theTimeBudgetBoundsTheEstimate() {
        assertThat(SearchReports.etaSeconds(10_000, 6, 1, 25L)).isEqualTo(25);
        assertThat(SearchReports.etaSeconds(10_000, 6, 1, -3L)).isZero();
        assertThat(SearchReports.etaSeconds(1_000, 6, 1, 25L)).isEqualTo(6);
    }

    @Test
    void anAutoSearchsEstimateCountsTheTrialsTheReScoresAndTheRefitsMembersAhead() {
        // a 100 s budget, 3 folds, trials of 400 ms, 2 workers; a member is a trial's time over folds less one: 200 ms
        double refit = 5 * 200;
        // 20 s in: the trials run to 50 s; the re-scores at most 9 rounds of 5 × 400 ms / 2 = 9 s (within their 25 s)
        assertThat(SearchReports.autoMillisLeft(null, 0, 0, 100_000, 20_000, 400, 2, 3)).isEqualTo(30_000 + 9_000 + refit);
        assertThat(SearchReports.autoMillisLeft(SearchPhase.TRIALS, 7, 1000, 100_000, 20_000, 400, 2, 3))
                .isEqualTo(30_000 + 9_000 + refit);
        // trials of 4 s: the re-scores are bounded by their share, 50 s to 75 s
        assertThat(SearchReports.autoMillisLeft(SearchPhase.TRIALS, 7, 1000, 100_000, 20_000, 4_000, 2, 3))
                .isEqualTo(30_000 + 25_000 + 5 * 2_000);
        // 10 of the 45 re-scores done at 55 s: 35 × 400 / 2 = 7 s, then the refit
        assertThat(SearchReports.autoMillisLeft(SearchPhase.RESCORES, 10, 15, 100_000, 55_000, 400, 2, 3)).isEqualTo(7_000 + refit);
        // at 74 s only the 1 s left of their share
        assertThat(SearchReports.autoMillisLeft(SearchPhase.RESCORES, 10, 15, 100_000, 74_000, 400, 2, 3)).isEqualTo(1_000 + refit);
        // 2 of 5 members trained: 3 left
        assertThat(SearchReports.autoMillisLeft(SearchPhase.REFIT, 2, 5, 100_000, 80_000, 400, 2, 3)).isEqualTo(600);
        // held-out rows, no folds: no re-scores, a member about a trial
        assertThat(SearchReports.autoMillisLeft(SearchPhase.TRIALS, 3, 1000, 100_000, 20_000, 400, 2, null))
                .isEqualTo(30_000 + 5 * 400);
    }
}
