package dev.backprop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.training.TrainingFixtures;
import dev.backprop.training.TrainingJobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trial's values applied to the base request, key by key: each lands in its typed setting whatever
 * number type JSON gave it, and a value of the wrong type names the key it came from.
 */
class SearchParametersTest {

    private final SearchParameters parameters = new SearchParameters();

    private static Map<String, Object> baseTraining() {
        return map("optimizer", "adam", "learningRate", 0.001, "epochs", 50, "batchSize", 32, "momentum", 0.9, "l1", 0.0,
                "l2", 0.0, "beta1", 0.9, "validationFraction", 0.2, "seed", 7L, "maxRuntimeSeconds", 60);
    }

    private static Map<String, Object> baseNetwork() {
        return map("hiddenLayers", List.of(map("units", 4, "activation", "relu", "dropout", 0.0, "alpha", 0.01),
                map("units", 6, "activation", "elu", "dropout", 0.5, "alpha", 1.0)), "initializer", "xavier", "outputUnits", 1);
    }

    /** A request as a client writes it; the expected result of an apply is built the same way, never by the code under test. */
    private static TrainingJobSpec spec(Map<String, Object> network, Map<String, Object> training) {
        return new TrainingJobSpec("base", "classification", TrainingFixtures.network(network), TrainingFixtures.training(training));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> layer(Map<String, Object> network, int index) {
        return (Map<String, Object>) ((List<Object>) network.get("hiddenLayers")).get(index);
    }

    private static Map<String, Object> copyOfNetwork() {
        Map<String, Object> network = baseNetwork();
        List<Object> layers = new ArrayList<>();
        for (Object layer : (List<?>) network.get("hiddenLayers")) {
            layers.add(new LinkedHashMap<>((Map<?, ?>) layer));
        }
        network.put("hiddenLayers", layers);
        return network;
    }

    @Test
    void trainingKeysSetTheirSettingsWhateverNumberTypeJsonGave() {
        TrainingJobSpec applied = parameters.apply(spec(baseNetwork(), baseTraining()), map("learningRate", 1, "batchSize", 16L,
                "epochs", 7, "optimizer", "momentum", "momentum", 0.5, "l1", 0, "l2", 1e-4), 42);

        Map<String, Object> training = baseTraining();
        training.putAll(map("learningRate", 1.0, "batchSize", 16, "epochs", 7, "optimizer", "momentum", "momentum", 0.5,
                "l1", 0.0, "l2", 1e-4, "seed", 42L));
        assertThat(applied).isEqualTo(spec(baseNetwork(), training));
        assertThat(applied.training().learningRate()).isEqualTo(1.0);
    }

    @Test
    void layerKeysApplyToEveryHiddenLayer() {
        TrainingJobSpec applied = parameters.apply(spec(baseNetwork(), baseTraining()),
                map("units", 8L, "activation", "tanh", "dropout", 1), 3);

        Map<String, Object> network = copyOfNetwork();
        for (int i = 0; i < 2; i++) {
            layer(network, i).putAll(map("units", 8, "activation", "tanh", "dropout", 1.0));
        }
        Map<String, Object> training = baseTraining();
        training.put("seed", 3L);
        assertThat(applied).isEqualTo(spec(network, training));
    }

    @Test
    void indexedLayerKeysApplyToThatLayerOnly() {
        TrainingJobSpec applied = parameters.apply(spec(baseNetwork(), baseTraining()),
                map("hiddenLayers[1].units", 3, "hiddenLayers[0].dropout", 0.1, "hiddenLayers[1].activation", "sigmoid"), 3);

        Map<String, Object> network = copyOfNetwork();
        layer(network, 0).put("dropout", 0.1);
        layer(network, 1).putAll(map("units", 3, "activation", "sigmoid"));
        assertThat(applied.network()).isEqualTo(TrainingFixtures.network(network));
    }

    @Test
    void theWholeLayerListAndTheInitializerReplaceTheBasesInKeyOrder() {
        TrainingJobSpec applied = parameters.apply(spec(baseNetwork(), baseTraining()), map("initializer", "he",
                "hiddenLayers", List.of(map("units", 5, "activation", "sigmoid"), map("units", 2L, "dropout", 0.25)),
                "hiddenLayers[1].activation", "tanh"), 3);

        Map<String, Object> network = map("hiddenLayers", List.of(map("units", 5, "activation", "sigmoid"),
                map("units", 2, "dropout", 0.25, "activation", "tanh")), "initializer", "he", "outputUnits", 1);
        assertThat(applied.network()).isEqualTo(TrainingFixtures.network(network));
    }

    @Test
    void noValuesStillSetTheTrialsSeedAndLeaveTheRestAlone() {
        TrainingJobSpec base = spec(baseNetwork(), baseTraining());
        TrainingJobSpec applied = parameters.apply(base, Map.of(), 11);
        assertThat(applied.training().seed()).isEqualTo(11L);
        assertThat(applied.network()).isEqualTo(base.network());
        assertThat(applied.withTraining(base.training())).isEqualTo(base);
    }

    @Test
    void aValueOfTheWrongTypeNamesItsKey() {
        TrainingJobSpec base = spec(baseNetwork(), baseTraining());
        Map<Map<String, Object>, FieldError> cases = Map.of(
                map("batchSize", 2.5), new FieldError("search.space.batchSize", "needs an integer, got 2.5"),
                map("epochs", 99_999_999_999L), new FieldError("search.space.epochs", "needs an integer of at most 2147483647, got 99999999999"),
                map("learningRate", "fast"), new FieldError("search.space.learningRate", "needs a finite number, got fast"),
                map("optimizer", "adamw"), new FieldError("search.space.optimizer",
                        "unknown optimizer 'adamw'; expected one of sgd, momentum, rmsprop, adam"),
                map("hiddenLayers[1].activation", 3), new FieldError("search.space.hiddenLayers[1].activation", "needs a string, got 3"),
                map("dropout", List.of(0.1)), new FieldError("search.space.dropout", "needs a finite number, got [0.1]"),
                map("hiddenLayers", List.of(map("unitz", 3))), new FieldError("search.space.hiddenLayers",
                        "layer 0: unknown setting 'unitz'; expected units, activation, dropout or alpha"),
                map("hiddenLayers[2].units", 3), new FieldError("search.space.hiddenLayers[2].units", "the base network has 2 hidden layers"));
        cases.forEach((params, error) -> assertThatThrownBy(() -> parameters.apply(base, params, 1))
                .as(params.toString())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).containsExactly(error)));
    }

    @Test
    void aSpaceIsCheckedWithTheSameConversionsAtSubmission() {
        TrainingJobSpec base = spec(baseNetwork(), baseTraining());
        List<FieldError> errors = new ArrayList<>();
        Map<String, Object> space = map("batchSize", List.of(16, 2.5), "optimizer", List.of("sgd", "adamw"),
                "hiddenLayers", List.of(List.of(map("units", 4)), List.of(map("units", 4, "activation", 1))),
                "units", Map.of("distribution", "int_uniform", "min", 2, "max", 8));
        ParameterSpace parsed = parameters.parse(space, base, true, errors);

        assertThat(errors).containsExactly(
                new FieldError("search.space.batchSize[1]", "needs an integer, got 2.5"),
                new FieldError("search.space.optimizer[1]", "unknown optimizer 'adamw'; expected one of sgd, momentum, rmsprop, adam"),
                new FieldError("search.space.hiddenLayers[1]", "layer 0: activation needs a string, got 1"));
        assertThat(parsed.dimensions()).hasSize(4);
    }
}
