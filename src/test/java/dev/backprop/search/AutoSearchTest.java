package dev.backprop.search;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.model.ModelProvenance.RefitRule;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.training.DataSummary;
import dev.backprop.training.Direction;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.SearchSpec;
import dev.backprop.training.SearchType;
import dev.backprop.training.TrainingFixtures;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an auto search chooses: the first trial's learning rate, the activations and the L2 range of its space, its clock,
 * and the rule its trials stop by.
 */
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

    @Test
    void smallDataWithNoNetworkNamedAlsoTriesTanhAndTheFirstTrialStaysTheDefaultRelu() {
        ResolvedTrainingJob iris = base(120, 120, true);
        SearchSpec chosen = choose(iris);
        assertThat(chosen.space()).containsEntry("activation", List.of("relu", "tanh"));
        // applied after the layer list, so that it sets every layer's activation
        assertThat(new ArrayList<>(chosen.space().keySet())).containsExactly("hiddenLayers", "activation", "learningRate", "l2");
        Map<String, Object> first = AutoSearch.firstTrial(iris.withSearch(chosen, 1000, null, Map.of(), List.of()));
        assertThat(first).containsEntry("activation", "relu");
        assertThat(new ArrayList<>(first.keySet())).containsExactly("hiddenLayers", "activation", "learningRate", "l2");
        // at the bound itself too
        assertThat(choose(base(200, 200, true)).space()).containsKey("activation");
    }

    @Test
    void moreRowsOrANamedNetworkKeepTheSpaceToItsOneActivation() {
        assertThat(choose(base(201, 200, true)).space()).doesNotContainKey("activation");
        assertThat(choose(base(455, 200, true)).space()).doesNotContainKey("activation");
        // the request named its layers: the search keeps to their activation
        assertThat(choose(base(120, 120, false)).space()).doesNotContainKey("activation");
        ResolvedTrainingJob large = base(800, 200, true);
        assertThat(AutoSearch.firstTrial(large.withSearch(choose(large), 1000, null, Map.of(), List.of()))).doesNotContainKey("activation");
    }

    @Test
    void theL2RangeIsScikitLearnsAlphaRangeAtAnyBatch() {
        // 200-row batches: 1e-6..1e-2 as before (alpha 4e-4..4 over 2 × 200 rows)
        assertThat(choose(base(800, 200, true)).space().get("l2")).isEqualTo(loguniform(1e-6, 1e-2));
        // iris's 120 rows in one batch: alpha 4e-4..4 over 2 × 120 rows
        Object irisL2 = choose(base(120, 120, true)).space().get("l2");
        assertThat(irisL2).isEqualTo(loguniform(1e-6 * (200 / 120.0), 1e-2 * (200 / 120.0)));
        assertThat(AutoSearch.l2Scale(120) * 1e-2).isCloseTo(4 / (2 * 120.0), within(EXACT));
        assertThat(AutoSearch.l2Scale(32) * 1e-6).isCloseTo(4e-4 / (2 * 32.0), within(EXACT));
        // the first trial takes the least L2 of the range
        ResolvedTrainingJob iris = base(120, 120, true);
        assertThat((double) AutoSearch.firstTrial(iris.withSearch(choose(iris), 1000, null, Map.of(), List.of())).get("l2"))
                .isCloseTo(1e-6 * (200 / 120.0), within(EXACT));
    }

    @Test
    void theTrialsDeadlineIsHalfAFractionalBudgetToTheMillisecond() {
        Instant start = Instant.parse("2026-12-03T12:00:00Z");
        assertThat(AutoSearch.trialsDeadline(start, Duration.ofMillis(900))).isEqualTo(start.plusMillis(450));
        assertThat(AutoSearch.share(Duration.ofMillis(1250), Rescore.SHARE)).isEqualTo(Duration.ofNanos(937_500_000));
        assertThat(spec(new BigDecimal("0.9")).budget()).isEqualTo(Duration.ofMillis(900));
        assertThat(spec(new BigDecimal("12")).budget()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void anAutoSearchsTrialsStopOnTheTrainingLossAsItsRefitDoesAndOtherSearchesOnTheValidationLoss() {
        Map<String, String> unnamed = Map.of("training.earlyStopping", "none named");
        ResolvedTrainingJob iris = base(120, 120, true);
        ResolvedTrainingJob auto = iris.withSearch(choose(iris), 1000, null, unnamed, List.of());
        assertThat(TrialRunner.trialEarlyStopping(auto, auto.spec().training()))
                .isEqualTo(EarlyStoppingConfig.onTrainingLoss());
        // the refit trains by that same rule: the one the trials were scored with
        assertThat(Refit.ruleOf(auto)).isEqualTo(RefitRule.TRAINING_LOSS);
        SearchSpec random = new SearchSpec(SearchType.RANDOM_SEARCH, Map.of("l2", List.of(0.0, 1e-3)), null, null, 2, null, null, 1L,
                3, true, null, null, null, null, null, null);
        ResolvedTrainingJob randomSearch = iris.withSearch(random, 2, null, unnamed, List.of());
        EarlyStoppingConfig onValidation = TrialRunner.trialEarlyStopping(randomSearch, randomSearch.spec().training());
        assertThat(onValidation.monitor()).isEqualTo("val_loss");
        assertThat(onValidation.patience()).isEqualTo(10);
        // a rule the request named is kept, auto or not
        EarlyStoppingConfig own = new EarlyStoppingConfig("val_accuracy", Direction.MAX, 5, 0.0);
        var named = auto.spec().training().withEarlyStopping(own);
        ResolvedTrainingJob namedAuto = base(120, 120, true).withSearch(choose(iris), 1000, null, Map.of(), List.of());
        assertThat(TrialRunner.trialEarlyStopping(namedAuto, named)).isEqualTo(own);
    }

    private static Map<String, Object> loguniform(double min, double max) {
        return Map.of("distribution", "loguniform", "min", min, "max", max);
    }

    private static SearchSpec spec(BigDecimal budget) {
        return new SearchSpec(SearchType.AUTO, null, null, null, null, budget, null, 1L, null, null, null, null, null, null, null,
                null);
    }

    private static SearchSpec choose(ResolvedTrainingJob base) {
        List<FieldError> errors = new ArrayList<>();
        SearchSpec chosen = AutoSearch.choose(spec(BigDecimal.ONE), base, 1000, new LinkedHashMap<>(), errors);
        assertThat(errors).isEmpty();
        return chosen;
    }

    /** A resolved classification job of {@code trainingRows} rows in batches of {@code batchSize}, its layers named or not. */
    private static ResolvedTrainingJob base(int trainingRows, int batchSize, boolean defaultNetwork) {
        var spec = TrainingFixtures.request(Map.of("name", "auto",
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 100, "activation", "relu"))),
                "training", Map.of("batchSize", batchSize)));
        Map<String, String> defaults = defaultNetwork ? Map.of("network.hiddenLayers", "one layer of 100 relu units") : Map.of();
        return new ResolvedTrainingJob(spec, "classification", false,
                new DataSummary(trainingRows, List.of("a"), "y", List.of(0L, 1L), trainingRows, 0), 1, defaults, List.of());
    }
}
