package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

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
}
