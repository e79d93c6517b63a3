package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.Tolerances;
import dev.backprop.data.Table;
import dev.backprop.model.FinalMetrics;
import dev.backprop.model.Warning;
import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.StopReason;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import dev.backprop.support.TestProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A trained model judged against the trivial baseline, and the warnings its outcome calls for. */
class ModelEvaluationTest {

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.with(Map.of()));

    /** 40 rows, 30 of class "a": a feature that separates the classes when {@code informative}, noise otherwise. */
    private static TrainingData rows(boolean informative) {
        List<List<Object>> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            String label = i < 30 ? "a" : "b";
            double x = informative ? (label.equals("a") ? -2 : 2) + random.nextGaussian() * 0.1 : random.nextGaussian();
            rows.add(List.of(x, label));
        }
        return new TrainingData(new Table(List.of("x", "y"), rows), "y", null);
    }

    private static List<EpochMetrics> history(double... losses) {
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 0; e < losses.length; e++) {
            history.add(new EpochMetrics(e + 1, losses[e], null, 0.5, null, 0.001, e));
        }
        return history;
    }

    private FinalMetrics evaluate(TrainingData data, Map<String, Object> training, TrainingResult result) {
        TrainingPlan plan = resolver.plan(resolver.resolve(TrainingFixtures.request(Map.of("task", "classification",
                "training", training)), data), data);
        Network network = Network.initialize(plan.network(), plan.random());
        new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(), () -> false,
                e -> { });
        plan.restoreTargetUnitsInPlace(network);
        return ModelEvaluation.evaluate(network, plan, result);
    }

    @Test
    void theBaselinePredictsTheMostFrequentClassAndTheLiftIsTheDifference() {
        FinalMetrics metrics = evaluate(rows(true), Map.of("epochs", 100, "seed", 3L), new TrainingResult(history(0.7, 0.1),
                StopReason.EARLY_STOPPED, 2, 2));
        assertThat(metrics.baseline().training().accuracy()).isCloseTo(0.75, within(Tolerances.EXACT));
        assertThat(metrics.baseline().training().rocAuc()).isCloseTo(0.5, within(Tolerances.EXACT));
        assertThat(metrics.training().accuracy()).isEqualTo(1.0);
        assertThat(metrics.baseline().metric()).isEqualTo("accuracy");
        assertThat(metrics.baseline().lift()).isCloseTo(0.25, within(Tolerances.EXACT));
        assertThat(metrics.warnings()).isEmpty();
    }

    @Test
    void aModelNoBetterThanTheBaselineSaysSo() {
        FinalMetrics metrics = evaluate(rows(false), Map.of("epochs", 1, "learningRate", 1e-6, "seed", 3L),
                new TrainingResult(history(0.7), StopReason.EARLY_STOPPED, 1, 1));
        assertThat(metrics.baseline().lift()).isLessThanOrEqualTo(0);
        assertThat(metrics.warnings()).extracting(Warning::code).containsExactly(Warning.NO_BETTER_THAN_BASELINE);
    }

    @Test
    void aRunWhoseLossStillFellAtItsLastEpochHasNotConverged() {
        double[] falling = new double[30];
        double[] flat = new double[30];
        double[] creeping = new double[30];
        for (int e = 0; e < 30; e++) {
            falling[e] = 1.0 / (e + 1);
            flat[e] = 0.1 + (e < 10 ? 1.0 / (e + 1) : 0);
            creeping[e] = 0.003 * (1 - 0.01 * e);
        }
        TrainingData data = rows(true);
        assertThat(evaluate(data, Map.of("epochs", 30, "seed", 3L), new TrainingResult(history(falling), StopReason.COMPLETED, 30, 30))
                .warnings()).extracting(Warning::code).containsExactly(Warning.NOT_CONVERGED);
        assertThat(evaluate(data, Map.of("epochs", 30, "seed", 3L), new TrainingResult(history(flat), StopReason.COMPLETED, 30, 30))
                .warnings()).isEmpty();
        // 3% lower over the window, but by less than early stopping's tolerance per epoch: converged enough
        assertThat(evaluate(data, Map.of("epochs", 30, "seed", 3L), new TrainingResult(history(creeping), StopReason.COMPLETED, 30,
                30)).warnings()).isEmpty();
    }

    @Test
    void aRunStoppedByItsTimeBudgetSaysSo() {
        FinalMetrics metrics = evaluate(rows(true), Map.of("epochs", 30, "seed", 3L), new TrainingResult(history(0.5, 0.4),
                StopReason.TIME_LIMIT, 2, 2));
        assertThat(metrics.warnings()).extracting(Warning::code).containsExactly(Warning.TIME_BUDGET);
        assertThat(metrics.warnings().get(0).message()).contains("after 2 of 30 epochs");
    }

    @Test
    void aRegressionBaselineIsTheTrainingMean() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(List.of((double) i, 100.0 + 3 * i));
        }
        TrainingData data = new TrainingData(new Table(List.of("x", "y"), rows), "y", null);
        TrainingPlan plan = resolver.plan(resolver.resolve(TrainingFixtures.request(Map.of("task", "regression",
                "training", Map.of("epochs", 300, "seed", 3L, "learningRate", 0.01))), data), data);
        Network network = Network.initialize(plan.network(), plan.random());
        TrainingResult result = new Trainer().train(network, plan.trainingData(), null, plan.training(), plan.random(), () -> false,
                e -> { });
        plan.restoreTargetUnitsInPlace(network);
        FinalMetrics metrics = ModelEvaluation.evaluate(network, plan, result);
        assertThat(metrics.baseline().training().r2()).isCloseTo(0, within(Tolerances.EXACT));
        assertThat(metrics.baseline().metric()).isEqualTo("r2");
        assertThat(metrics.training().r2()).isGreaterThan(0.99);
        // in the target's units: an error of a few units on a target of 100..217, not of a standardized one
        assertThat(metrics.training().rmse()).isLessThan(5);
        assertThat(metrics.baseline().training().rmse()).isCloseTo(3 * Math.sqrt((40 * 40 - 1) / 12.0),
                within(Tolerances.EXACT_IN_TARGET_UNITS));
    }
}
