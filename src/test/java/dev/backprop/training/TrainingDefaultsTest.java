package dev.backprop.training;

import static dev.backprop.Tolerances.EXACT;
import static dev.backprop.Tolerances.EXACT_IN_TARGET_UNITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.data.Table;
import dev.backprop.model.Warning;
import dev.backprop.nn.Network;
import dev.backprop.platform.ApiException;
import dev.backprop.support.TestProperties;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** What a request that names only its data gets, and why: the defaults chosen from the data, and the warnings. */
class TrainingDefaultsTest {

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.with(Map.of()));

    private static TrainingData rows(int n, IntFunction<Object> target) {
        List<List<Object>> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            rows.add(List.of(random.nextDouble(), (double) (i % 7), target.apply(i)));
        }
        return new TrainingData(new Table(List.of("a", "b", "t"), rows), "t", null);
    }

    private ResolvedTrainingJob onlyData(TrainingData data) {
        return resolver.resolve(TrainingFixtures.request(Map.of()), data);
    }

    @Test
    void aSmallDataSetTrainsOneHiddenLayerOnEveryRowWithMiniBatchesAndStopsOnTheTrainingLoss() {
        ResolvedTrainingJob job = onlyData(rows(150, i -> i % 3 == 0 ? "x" : i % 3 == 1 ? "y" : "z"));
        assertThat(job.spec().network().hiddenLayers()).containsExactly(new HiddenLayerConfig(100, "relu", 0.0, null));
        assertThat(job.spec().network().initializer()).isEqualTo("xavier");
        TrainingConfig training = job.spec().training();
        assertThat(training.optimizer()).isEqualTo(OptimizerType.ADAM);
        assertThat(training.batchSize()).isEqualTo(32);
        assertThat(training.epochs()).isEqualTo(200);
        assertThat(training.validationFraction()).isZero();
        assertThat(training.earlyStopping()).isEqualTo(new EarlyStoppingConfig("loss", Direction.MIN, 10, 1e-4));
        assertThat(job.defaults().get("network.hiddenLayers")).startsWith("one layer of 100 relu units");
        assertThat(job.defaults().get("training.validationFraction")).startsWith("0: 150 rows are fewer than 1000");
        assertThat(job.defaults().get("training.earlyStopping")).startsWith("loss, patience 10, minDelta 1.0E-4");
    }

    @Test
    void aThousandRowsHoldATenthOutAndStopOnTheValidationLoss() {
        ResolvedTrainingJob job = onlyData(rows(1000, i -> i % 2 == 0 ? "x" : "y"));
        TrainingConfig training = job.spec().training();
        assertThat(training.validationFraction()).isEqualTo(0.1);
        assertThat(job.data().validationRows()).isEqualTo(100);
        assertThat(training.earlyStopping()).isEqualTo(new EarlyStoppingConfig("val_loss", Direction.MIN, 10, 0.0));
        assertThat(job.defaults().get("training.validationFraction")).startsWith("0.1: 1000 rows are enough");
    }

    @Test
    void namedEpochsRunInFullAndAnEmptyLayerListTrainsNoHiddenLayer() {
        TrainingConfig settings = TrainingFixtures.training(Map.of("epochs", 50));
        NetworkConfig noHidden = TrainingFixtures.network(Map.of("hiddenLayers", List.of()));
        ResolvedTrainingJob job = resolver.resolve(TrainingFixtures.request(Map.of("network", noHidden, "training", settings)),
                rows(40, i -> i % 2 == 0 ? "x" : "y"));
        assertThat(job.spec().training().epochs()).isEqualTo(50);
        assertThat(job.spec().training().earlyStopping()).isNull();
        assertThat(job.defaults().get("training.earlyStopping")).startsWith("none: the request names its epochs");
        assertThat(job.spec().network().hiddenLayers()).isEmpty();
        assertThat(job.parameterCount()).isEqualTo(3);
    }

    @Test
    void aRegressionTargetIsStandardizedForTrainingAndTheModelAnswersInItsUnits() {
        TrainingData data = rows(200, i -> 1000.0 + 50.0 * (i % 10) + 0.5);
        ResolvedTrainingJob job = onlyData(data);
        assertThat(job.spec().training().targetScaling()).isEqualTo(TargetScalingMode.STANDARDIZE);
        TrainingPlan plan = resolver.plan(job, data);
        double mean = 0;
        for (double y : plan.trainingData().targets()) {
            mean += y / plan.trainingData().rows();
        }
        assertThat(mean).isCloseTo(0, within(EXACT));
        assertThat(plan.trainingDataInTargetUnits().targets()[3]).isCloseTo(1150.5, within(EXACT_IN_TARGET_UNITS));

        Network network = Network.initialize(plan.network(), new SplittableRandom(1));
        double[] scaled = network.predict(plan.trainingData().features(), 2);
        plan.restoreTargetUnitsInPlace(network);
        double[] restored = network.predict(plan.trainingData().features(), 2);
        TargetScaling scaling = plan.targetScaling();
        for (int r = 0; r < 2; r++) {
            assertThat(restored[r]).isCloseTo(scaled[r] * scaling.scale() + scaling.mean(), within(EXACT_IN_TARGET_UNITS));
        }
    }

    @Test
    void targetScalingIsRefusedWhereItCannotApply() {
        TrainingConfig standardize = TrainingFixtures.training(Map.of("targetScaling", "standardize"));
        assertThatThrownBy(() -> resolver.resolve(TrainingFixtures.request(Map.of("training", standardize)),
                        rows(40, i -> i % 2 == 0 ? "x" : "y")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("training.targetScaling"));
        NetworkConfig sigmoidOutput = TrainingFixtures.network(Map.of("outputActivation", "sigmoid"));
        ResolvedTrainingJob bounded = resolver.resolve(TrainingFixtures.request(Map.of("task", "regression",
                "network", sigmoidOutput)), rows(40, i -> i / 40.0));
        assertThat(bounded.spec().training().targetScaling()).isEqualTo(TargetScalingMode.NONE);
    }

    @Test
    void theInferredTaskIsExplainedWithHowToOverrideIt() {
        ResolvedTrainingJob job = onlyData(rows(60, i -> (long) (i % 4)));
        assertThat(job.warnings()).filteredOn(w -> w.code().equals(Warning.TASK_INFERRED)).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("4 distinct integers").contains("\"task\": \"regression\""));
        ResolvedTrainingJob given = resolver.resolve(TrainingFixtures.request(Map.of("task", "regression")),
                rows(60, i -> (long) (i % 4)));
        assertThat(given.task()).isEqualTo("regression");
        assertThat(given.warnings()).extracting(Warning::code).doesNotContain(Warning.TASK_INFERRED);
        ResolvedTrainingJob linear = resolver.resolve(TrainingFixtures.request(Map.of("network", Map.of("outputActivation", "linear"),
                "training", Map.of("loss", "mse"))), rows(60, i -> (long) (i % 4)));
        assertThat(linear.warnings()).filteredOn(w -> w.code().equals(Warning.TASK_INFERRED)).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("regression, because the output activation is linear"));
    }

    @Test
    void aSmallValidationSetAndImbalancedClassesAreWarnedAbout() {
        TrainingConfig holdout = TrainingFixtures.training(Map.of("validationFraction", 0.2));
        ResolvedTrainingJob job = resolver.resolve(TrainingFixtures.request(Map.of("task", "classification", "training", holdout)),
                rows(100, i -> i < 95 ? "common" : "rare"));
        assertThat(job.warnings()).extracting(Warning::code).contains(Warning.SMALL_VALIDATION_SET, Warning.IMBALANCED_CLASSES);
        ResolvedTrainingJob balanced = resolver.resolve(TrainingFixtures.request(Map.of("task", "classification")),
                rows(100, i -> i % 2 == 0 ? "x" : "y"));
        assertThat(balanced.warnings()).isEmpty();
    }
}
