package dev.backprop.training;

import static dev.backprop.Tolerances.EXACT;
import static dev.backprop.training.TrainingFixtures.network;
import static dev.backprop.training.TrainingFixtures.oneHiddenLayer;
import static dev.backprop.training.TrainingFixtures.request;
import static dev.backprop.training.TrainingFixtures.training;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.data.Table;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import dev.backprop.platform.ApiException;
import dev.backprop.support.TestProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecResolverTest {

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());

    private static TrainingData xor() {
        return new TrainingData(new Table(List.of("x1", "x2", "y"),
                List.of(List.of(0L, 0L, 0L), List.of(0L, 1L, 1L), List.of(1L, 0L, 1L), List.of(1L, 1L, 0L))), "y", null);
    }

    private static TrainingData rows(int n, java.util.function.IntFunction<Object> target) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(List.of((double) i, (double) (i % 7), target.apply(i)));
        }
        return new TrainingData(new Table(List.of("a", "b", "t"), rows), "t", null);
    }

    @Test
    void xorGetsEveryDefaultFilledIn() {
        ResolvedTrainingJob job = resolver.resolve(request(Map.of("network", oneHiddenLayer(4, "sigmoid"))), xor());
        assertThat(job.task()).isEqualTo("classification");
        assertThat(job.taskInferred()).isTrue();
        assertThat(job.parameterCount()).isEqualTo(17);
        assertThat(job.data().classes()).containsExactly(0L, 1L);
        assertThat(job.data().validationRows()).isZero();
        NetworkConfig network = job.spec().network();
        assertThat(network.outputActivation()).isEqualTo("sigmoid");
        assertThat(network.outputUnits()).isEqualTo(1);
        TrainingConfig training = job.spec().training();
        assertThat(training.loss()).isEqualTo("binary_crossentropy");
        assertThat(training.optimizer()).isEqualTo(OptimizerType.ADAM);
        assertThat(training.learningRate()).isEqualTo(0.001);
        assertThat(training.beta1()).isEqualTo(0.9);
        assertThat(training.beta2()).isEqualTo(0.999);
        assertThat(training.epsilon()).isEqualTo(1e-8);
        assertThat(training.epochs()).isEqualTo(200);
        assertThat(training.batchSize()).isEqualTo(4);
        assertThat(training.earlyStopping()).isEqualTo(new EarlyStoppingConfig("loss", Direction.MIN, 10, 1e-4));
        assertThat(network.initializer()).isEqualTo("xavier");
        assertThat(training.targetScaling()).isNull();
        assertThat(job.defaults()).containsKeys("training.epochs", "training.batchSize", "training.earlyStopping",
                "training.validationFraction", "training.optimizer", "training.learningRate", "training.loss", "training.seed",
                "network.initializer").doesNotContainKey("network.hiddenLayers");
        assertThat(job.defaults().get("training.batchSize")).isEqualTo("4: min(32, training rows), as Keras; small data sets "
                + "still get several updates per epoch");
        assertThat(training.validationFraction()).isZero();
        assertThat(training.scaling()).isEqualTo(Scaling.STANDARDIZE);
        assertThat(training.imputation()).isEqualTo(Imputation.MEAN);
        assertThat(training.unknownCategories()).isEqualTo(UnknownCategories.IGNORE);
        assertThat(training.seed()).isNotNull();
        assertThat(training.schedule().type()).isEqualTo(ScheduleType.CONSTANT);
    }

    @Test
    void theTaskIsInferredOnlyWhenUnambiguous() {
        TrainingJobSpec taskless = request(Map.of("network", oneHiddenLayer(2, "relu")));
        assertThat(resolver.resolve(taskless, rows(30, i -> i % 2 == 0 ? "cat" : "dog")).task()).isEqualTo("classification");
        assertThat(resolver.resolve(taskless, rows(30, i -> i * 0.5 + 0.25)).task()).isEqualTo("regression");
        assertThat(resolver.resolve(taskless, rows(30, i -> (long) (i % 5))).task()).isEqualTo("classification");
        assertThat(resolver.resolve(taskless, rows(30, i -> (long) i * 7)).task()).isEqualTo("regression");
        NetworkConfig linear = network(Map.of("hiddenLayers", List.of(), "outputActivation", "linear"));
        assertThat(resolver.resolve(request(Map.of("network", linear)), rows(30, i -> (long) (i % 5))).task())
                .isEqualTo("regression");
        assertThat(resolver.resolve(request(Map.of("task", "classification")), rows(30, i -> (long) (i % 5)))
                .spec().network().outputActivation()).isEqualTo("softmax");
    }

    @Test
    void classificationValidationIsStratifiedAndSeeded() {
        TrainingData data = rows(100, i -> i < 90 ? "common" : "rare");
        TrainingConfig settings = training(Map.of("seed", 9L, "validationFraction", 0.2));
        ResolvedTrainingJob job = resolver.resolve(request(Map.of("network", oneHiddenLayer(2, "relu"), "training", settings)),
                data);
        assertThat(job.spec().training().validationSplit()).isEqualTo(ValidationSplit.STRATIFIED);
        TrainingPlan plan = resolver.plan(job, data);
        int rare = 0;
        for (double y : plan.validation().targets()) {
            rare += (int) y;
        }
        assertThat(plan.validation().rows()).isEqualTo(20);
        assertThat(rare).isEqualTo(2);
        assertThat(resolver.plan(job, data).validation().features()).isEqualTo(plan.validation().features());
    }

    @Test
    void standardizationUsesTrainingRowsOnly() {
        TrainingData data = rows(50, i -> i * 1.5);
        TrainingConfig settings = training(Map.of("validationSplit", "last", "validationFraction", 0.2, "seed", 1L));
        TrainingJobSpec spec = request(Map.of("network", oneHiddenLayer(2, "relu"), "training", settings));
        TrainingPlan plan = resolver.plan(resolver.resolve(spec, data), data);
        // rows 0..39 train: feature a = 0..39, mean 19.5
        assertThat(((dev.backprop.data.FeaturePipeline.NumericStep) plan.pipeline().steps().get(0)).center()).isEqualTo(19.5);
        double mean = 0;
        for (int r = 0; r < plan.trainingData().rows(); r++) {
            mean += plan.trainingData().features()[r * 2] / plan.trainingData().rows();
        }
        assertThat(mean).isCloseTo(0, within(EXACT));
        assertThat(plan.validation().features()[0]).isGreaterThan(1.0);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        NetworkConfig network = network(Map.of("hiddenLayers", List.of(Map.of("units", 0, "activation", "swish", "dropout", 1.5)),
                "initializer", "glorot", "precision", "float16"));
        TrainingConfig settings = training(Map.of("optimizer", "sgd", "beta1", 0.9, "epochs", 0, "batchSize", -1));
        assertThatThrownBy(() -> resolver.resolve(request(Map.of("network", network, "training", settings)), xor()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(ApiException.FieldError::field)
                        .contains("network.hiddenLayers[0].units", "network.hiddenLayers[0].activation", "network.hiddenLayers[0].dropout",
                                "network.initializer", "network.precision", "training.beta1", "training.epochs", "training.batchSize"));
    }

    @Test
    void capsAreEnforcedNamingTheCap() {
        JobSpecResolver strict = new JobSpecResolver(TestProperties.with(Map.of("backprop.limits.max-parameters", "10",
                "backprop.limits.max-row-epochs", "100", "backprop.limits.max-hidden-layers", "1")));
        TrainingConfig settings = training(Map.of("epochs", 50));
        NetworkConfig twoLayers = network(Map.of("hiddenLayers", List.of(Map.of("units", 4), Map.of("units", 4))));
        assertThatThrownBy(() -> strict.resolve(request(Map.of("network", twoLayers, "training", settings)), xor()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(ApiException.FieldError::message)
                        .anyMatch(m -> m.contains("limit is 1")).anyMatch(m -> m.contains("limit of 100")));
        TrainingJobSpec tenEpochs = request(Map.of("network", oneHiddenLayer(4, "relu"), "training", Map.of("epochs", 10)));
        assertThatThrownBy(() -> strict.resolve(tenEpochs, xor()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors().get(0).message()).contains("the limit is 10"));
    }

    @Test
    void earlyStoppingDefaultsFollowTheValidationSplit() {
        TrainingConfig settings = training(Map.of("earlyStopping", Map.of()));
        TrainingConfig withHoldout = training(Map.of("earlyStopping", Map.of(), "validationFraction", 0.2));
        ResolvedTrainingJob withValidation = resolver.resolve(request(Map.of("network", oneHiddenLayer(2, "relu"),
                "training", withHoldout)), rows(40, i -> i % 2 == 0 ? "a" : "b"));
        assertThat(withValidation.spec().training().earlyStopping().monitor()).isEqualTo("val_loss");
        assertThat(withValidation.spec().training().earlyStopping().patience()).isEqualTo(10);
        ResolvedTrainingJob without = resolver.resolve(request(Map.of("network", oneHiddenLayer(2, "relu"), "training", settings)),
                xor());
        assertThat(without.spec().training().earlyStopping().monitor()).isEqualTo("loss");
    }
}
