package dev.backprop.training;

import static dev.backprop.training.TrainingFixtures.oneHiddenLayer;
import static dev.backprop.training.TrainingFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Splits;
import dev.backprop.support.TestProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A search's trials share each fold's preparation: the same rows, encoded once. */
class PreparedFoldsTest {

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());

    private static TrainingData data() {
        List<List<Object>> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            double x = random.nextDouble();
            rows.add(List.of(x, random.nextDouble() * 10, i % 3 == 0 ? "red" : "blue", x > 0.5 ? "yes" : "no"));
        }
        return new TrainingData(new Table(List.of("x", "z", "colour", "label"), rows), "label", null);
    }

    private static TrainingJobSpec trial(double learningRate, String scaling) {
        return request(Map.of("task", "classification", "network", oneHiddenLayer(4, "relu"),
                "training", Map.of("learningRate", learningRate, "epochs", 5, "seed", 11, "scaling", scaling)));
    }

    @Test
    void trialsThatDifferInWhatTheyTrainPrepareEachFoldOnceAndGetTheSameRows() {
        TrainingData data = data();
        int[] foldOfRow = Splits.foldAssignment(resolver.encoded(resolver.resolve(trial(0.01, "standardize"), data), data), 3, true,
                new SplittableRandom(5));
        PreparedFolds folds = new PreparedFolds();
        for (double learningRate : new double[]{0.001, 0.01, 0.1}) {
            for (int fold = 0; fold < 3; fold++) {
                TrainingPlan kept = resolver.planFold(trial(learningRate, "standardize"), data, foldOfRow, fold, folds);
                TrainingPlan own = resolver.planFold(trial(learningRate, "standardize"), data, foldOfRow, fold);
                assertSameRows(kept.trainingData(), own.trainingData());
                assertSameRows(kept.validation(), own.validation());
                assertThat(kept.pipeline()).isEqualTo(own.pipeline());
                assertThat(kept.training().optimizer().learningRate()).isEqualTo(learningRate);
            }
        }
        assertThat(folds.preparations()).isEqualTo(3);
        // a trial that encodes differently prepares its own folds
        resolver.planFold(trial(0.01, "minmax"), data, foldOfRow, 0, folds);
        assertThat(folds.preparations()).isEqualTo(4);
    }

    @Test
    void aHoldoutIsPreparedOnceForTrialsOfOneSplitSeed() {
        TrainingData data = data();
        PreparedFolds folds = new PreparedFolds();
        TrainingJobSpec holdout = request(Map.of("task", "classification", "network", oneHiddenLayer(4, "relu"),
                "training", Map.of("epochs", 5, "seed", 11, "validationFraction", 0.25)));
        TrainingPlan first = resolver.resolveAndPlan(holdout, data, 42, folds);
        TrainingPlan second = resolver.resolveAndPlan(holdout, data, 42, folds);
        assertThat(second.trainingData()).isSameAs(first.trainingData());
        assertSameRows(first.validation(), resolver.resolveAndPlan(holdout, data, 42).validation());
        assertThat(folds.preparations()).isEqualTo(1);
        resolver.resolveAndPlan(holdout, data, 43, folds);
        assertThat(folds.preparations()).isEqualTo(2);
    }

    @Test
    void preparationsOverTheBudgetAreNotKept() {
        TrainingData data = data();
        PreparedFolds none = new PreparedFolds(0);
        resolver.resolveAndPlan(trial(0.01, "standardize"), data, 42, none);
        resolver.resolveAndPlan(trial(0.1, "standardize"), data, 42, none);
        assertThat(none.preparations()).isEqualTo(2);
    }

    private static void assertSameRows(LabeledData actual, LabeledData expected) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.features()).containsExactly(expected.features());
        assertThat(actual.targets()).containsExactly(expected.targets());
    }
}
