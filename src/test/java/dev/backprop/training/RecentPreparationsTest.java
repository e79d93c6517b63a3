package dev.backprop.training;

import static dev.backprop.training.TrainingFixtures.oneHiddenLayer;
import static dev.backprop.training.TrainingFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.support.TestProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The next job on a stored data set trains on the rows the last one prepared, when nothing of their preparation differs. */
class RecentPreparationsTest {

    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());
    private final UUID datasetId = UUID.randomUUID();

    private TrainingData stored(String target) {
        List<List<Object>> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 80; i++) {
            double x = random.nextDouble();
            rows.add(List.of(x, random.nextDouble() * 10, i % 3 == 0 ? "red" : "blue", x > 0.5 ? "yes" : "no"));
        }
        return new TrainingData(new Table(List.of("x", "z", "colour", "label"), rows), target, null, datasetId);
    }

    private static TrainingJobSpec job(int units, String precision, long seed, Map<String, Object> training) {
        Map<String, Object> network = new HashMap<>(Map.of("hiddenLayers", List.of(Map.of("units", units, "activation", "relu")),
                "precision", precision));
        Map<String, Object> settings = new HashMap<>(Map.of("epochs", 4, "seed", seed, "validationFraction", 0.25));
        settings.putAll(training);
        return request(Map.of("task", "classification", "network", network, "training", settings));
    }

    private TrainingPlan plan(TrainingJobSpec spec, TrainingData data, PreparedFolds kept) {
        return resolver.plan(resolver.resolve(spec, data), data, kept);
    }

    @Test
    void aJobWithAnotherNetworkPrecisionOrSeedOnTheLastRowsTrainsOnTheRowsTheFirstJobPrepared() {
        RecentPreparations recent = new RecentPreparations();
        TrainingData data = stored("label");
        Map<String, Object> last = Map.of("validationSplit", "last", "scaling", "none");
        TrainingPlan first = plan(job(8, "float64", 42, last), data, recent.of(data));
        TrainingPlan second = plan(job(16, "float32", 7, last), data, recent.of(data));

        assertThat(second.trainingData().features()).isSameAs(first.trainingData().features());
        assertThat(second.validation().features()).isSameAs(first.validation().features());
        assertThat(second.pipeline()).isSameAs(first.pipeline());
        assertThat(recent.of(data).preparations()).isEqualTo(1);
        // the same rows, statistics and run as a job that prepares its own
        TrainingPlan own = resolver.plan(resolver.resolve(job(16, "float32", 7, last), data), data);
        assertSameRows(second.trainingData(), own.trainingData());
        assertSameRows(second.validation(), own.validation());
        assertThat(second.pipeline()).isEqualTo(own.pipeline());
        assertThat(trainedWeights(second)).isDeepEqualTo(trainedWeights(own));
    }

    @Test
    void aJobThatSplitsOrEncodesOtherwisePreparesItsOwnRows() {
        RecentPreparations recent = new RecentPreparations();
        TrainingData data = stored("label");
        TrainingPlan first = plan(job(8, "float64", 42, Map.of("validationSplit", "random")), data, recent.of(data));
        // a random holdout of another seed holds other rows; another scaling, other values
        TrainingPlan otherSeed = plan(job(8, "float64", 43, Map.of("validationSplit", "random")), data, recent.of(data));
        TrainingPlan otherScaling = plan(job(8, "float64", 42, Map.of("validationSplit", "random", "scaling", "minmax")), data,
                recent.of(data));
        TrainingPlan again = plan(job(32, "float64", 42, Map.of("validationSplit", "random")), data, recent.of(data));

        assertThat(otherSeed.trainingData().features()).isNotSameAs(first.trainingData().features());
        assertThat(otherScaling.trainingData().features()).isNotSameAs(first.trainingData().features());
        assertThat(again.trainingData().features()).isSameAs(first.trainingData().features());
        assertThat(recent.of(data).preparations()).isEqualTo(3);
    }

    @Test
    void anotherColumnSelectionOrDataSetStartsAFreshAndInlineRowsAreNeverKept() {
        RecentPreparations recent = new RecentPreparations();
        TrainingData data = stored("label");
        PreparedFolds kept = recent.of(data);

        assertThat(recent.of(stored("label"))).isSameAs(kept);
        assertThat(recent.of(stored("colour"))).isNotSameAs(kept);
        assertThat(recent.of(new TrainingData(data.table(), "label", null, UUID.randomUUID()))).isNotSameAs(kept);
        assertThat(recent.of(new TrainingData(data.table(), "label", null))).isNull();
    }

    private static double[][] trainedWeights(TrainingPlan plan) {
        Network network = Network.initialize(plan.network(), plan.random());
        new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(), plan.random(), () -> false, epoch -> { });
        return network.parameters();
    }

    private static void assertSameRows(LabeledData actual, LabeledData expected) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.features()).containsExactly(expected.features());
        assertThat(actual.targets()).containsExactly(expected.targets());
    }
}
