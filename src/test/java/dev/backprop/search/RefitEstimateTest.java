package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When an ensemble refit expects to end, by its own plan (the ETA of its phase): hand-computed cases on fixed instants. */
class RefitEstimateTest {

    private static final Instant START = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void beforeAnyMemberEndsTheRefitRunsToItsDeadline() {
        Instant deadline = START.plusSeconds(30);
        assertThat(Refit.endsAt(START, START, 0, 5, deadline)).isEqualTo(deadline);
        assertThat(Refit.endsAt(START, START, 0, 5, null)).isNull();
    }

    @Test
    void theMembersLeftTakeTheMeanOfThoseTrainedUnlessTheDeadlineComesFirst() {
        // 2 of 5 members in 4 s: 2 s each, 3 left end 6 s later, well before a deadline at 30 s
        Instant now = START.plusSeconds(4);
        assertThat(Refit.endsAt(START, now, 2, 5, START.plusSeconds(30))).isEqualTo(START.plusSeconds(10));
        // members of 2 s against a deadline 5 s away: their shares end first
        assertThat(Refit.endsAt(START, now, 2, 5, START.plusSeconds(9))).isEqualTo(START.plusSeconds(9));
        // all trained: now
        assertThat(Refit.endsAt(START, START.plusSeconds(10), 5, 5, START.plusSeconds(30))).isEqualTo(START.plusSeconds(10));
    }
}
