package dev.backprop.training;

import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Specs for tests, built the way requests arrive: from the settings a test names, every other one absent,
 * so that a test says only what it changes and a new setting never breaks a fixture.
 */
public final class TrainingFixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TrainingFixtures() {
    }

    /** Training settings with only {@code settings} given (wire names and values, as in a request). */
    public static TrainingConfig training(Map<String, Object> settings) {
        return JSON.convertValue(settings, TrainingConfig.class);
    }

    /** A network with only {@code settings} given. */
    public static NetworkConfig network(Map<String, Object> settings) {
        return JSON.convertValue(settings, NetworkConfig.class);
    }

    /** The result of a run that used all its epochs, with its weights from {@code bestEpoch} and no metrics. */
    public static TrainingOutcome completed(int bestEpoch) {
        return new TrainingOutcome(dev.backprop.nn.StopReason.COMPLETED, bestEpoch, null);
    }

    /** A network of one hidden layer, {@code units} wide with {@code activation}, and nothing else given. */
    public static NetworkConfig oneHiddenLayer(int units, String activation) {
        return network(Map.of("hiddenLayers", List.of(Map.of("units", units, "activation", activation))));
    }

    /**
     * A request with only {@code settings} given: {@code name}, {@code task}, {@code network} and {@code training},
     * each as a map of wire names or as the config itself; {@code Map.of()} leaves every setting to the defaults.
     */
    public static TrainingJobSpec request(Map<String, Object> settings) {
        return JSON.convertValue(settings, TrainingJobSpec.class);
    }

    /**
     * A small resolved job: binary classification of 4 rows by one feature {@code a} into labels 0 and 1, a
     * network without hidden layers (2 parameters), sgd for 100 epochs, seed 1, no validation rows.
     */
    public static ResolvedTrainingJob smallResolvedJob() {
        TrainingConfig training = training(Map.ofEntries(Map.entry("loss", "mse"), Map.entry("optimizer", "sgd"),
                Map.entry("learningRate", 0.1), Map.entry("epochs", 100), Map.entry("batchSize", 4), Map.entry("l1", 0.0),
                Map.entry("l2", 0.0), Map.entry("seed", 1L), Map.entry("validationFraction", 0.0),
                Map.entry("validationSplit", "stratified"), Map.entry("scaling", "standardize"), Map.entry("imputation", "mean"),
                Map.entry("unknownCategories", "ignore")));
        NetworkConfig network = network(Map.of("hiddenLayers", List.of(), "outputActivation", "sigmoid", "outputUnits", 1,
                "initializer", "xavier"));
        TrainingJobSpec spec = new TrainingJobSpec("t", "classification", network, training);
        return new ResolvedTrainingJob(spec, "classification", false, new DataSummary(4, List.of("a"), "y", List.of(0L, 1L), 4, 0),
                2, Map.of(), List.of());
    }
}
