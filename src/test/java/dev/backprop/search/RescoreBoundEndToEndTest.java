package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * The bound an auto search's re-score runs are cut at: the re-scores' share of the budget ({@link Rescore#SHARE}), not
 * the budget's end, so that a run that overruns its estimate under load is cut before the refit's time (one run bounded
 * by the budget's end left a friedman1 refit no time for an epoch, bench/NOTES.md). Read from the deadline every
 * trial run is given (the runs are real, only watched), so it needs no overrun to happen and no wall clock: the
 * bound is fixed from the job's start when the re-scores begin.
 */
@SpringBootTest(properties = "backprop.jobs.workers=2", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RescoreBoundEndToEndTest extends HttpEndToEndTest {

    @MockitoSpyBean
    private TrialRunner runner;

    /** The deadline and rung of every trial run, in the order they started. */
    private final List<Object[]> runs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void watchTheDeadlineOfEveryRun() {
        doAnswer(invocation -> {
            runs.add(new Object[] {invocation.getArgument(7), ((TrialRunner.Budget) invocation.getArgument(9)).rung()});
            return invocation.callRealMethod();
        }).when(runner).run(anyInt(), any(), any(), any(), any(), any(), any(), any(), any(dev.backprop.job.RunningJob.class), any());
    }

    @Test
    void reScoreRunsAreCutAtTheReScoresShareOfTheBudgetNotItsEnd() {
        // 40 rows and 20 epochs: trials of milliseconds, so the search stalls long before its trials' half, and its
        // re-scores start well before their share ends
        int budget = 120;
        String id = accepted(Http.json(Map.of("type", "auto", "data", TrainingRequests.syntheticData(40, 11),
                "training", Map.of("epochs", 20), "search", Map.of("maxRuntimeSeconds", budget, "seed", 2))));
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        Instant started = Instant.parse(job.get("startedAt").asString());
        Instant rescoresEnd = started.plusMillis(Math.round(budget * 1000 * Rescore.SHARE));
        Instant trialsEnd = started.plusMillis(Math.round(budget * 1000 * AutoSearch.TRIALS_SHARE));
        // a re-score is a run of rung 1 (the trials of an auto search have no halving: rung 0)
        List<Instant> rescoreDeadlines = runs.stream().filter(r -> (int) r[1] == 1).map(r -> (Instant) r[0]).toList();
        List<Instant> trialDeadlines = runs.stream().filter(r -> (int) r[1] == 0).map(r -> (Instant) r[0]).toList();
        assertThat(rescoreDeadlines).as("re-score runs").isNotEmpty();
        // the job's startedAt is stored to the microsecond; the search counts from the instant it was claimed
        for (Instant deadline : rescoreDeadlines) {
            assertThat(Math.abs(java.time.Duration.between(rescoresEnd, deadline).toMillis())).as("re-score deadline " + deadline
                    + ", share ends " + rescoresEnd + ", budget ends " + started.plusSeconds(budget)).isLessThanOrEqualTo(1);
        }
        for (Instant deadline : trialDeadlines) {
            assertThat(Math.abs(java.time.Duration.between(trialsEnd, deadline).toMillis())).isLessThanOrEqualTo(1);
        }
    }
}
