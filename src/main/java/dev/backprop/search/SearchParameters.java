package dev.backprop.search;

import dev.backprop.platform.ApiException;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.search.ParameterSpace.Distribution;
import dev.backprop.training.OptimizerType;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The searchable parameters and how a trial's values are applied to the base request.
 *
 * <p>Keys: {@code learningRate}, {@code batchSize}, {@code epochs}, {@code optimizer}, {@code momentum},
 * {@code l1}, {@code l2}, {@code initializer}; for every hidden layer at once {@code units},
 * {@code activation}, {@code dropout}; for one layer {@code hiddenLayers[i].units},
 * {@code hiddenLayers[i].activation}, {@code hiddenLayers[i].dropout}; and the whole layer list
 * {@code hiddenLayers} (each value a list of layers).
 *
 * <p>Each key is a typed setting: the kind of its values (which converts a JSON value, whatever
 * number type it arrived as, or says what it needs) and the record's {@code with…} method it goes
 * to. The same conversion checks a space at submission and applies a trial's values, so a value that
 * passed the one cannot fail the other.
 */
@Component
public class SearchParameters {

    /**
     * How the values of a key are checked and converted.
     *
     * @param convert a JSON value to the setting's type; {@link IllegalArgumentException} saying what it needs
     */
    private record Kind<V>(Function<Object, V> convert) {
    }

    /** A key's kind and the {@code with…} method that applies its value to a {@code T}. */
    private record Setting<T, V>(Kind<V> kind, BiFunction<T, V, T> with) {

        T apply(T target, Object value) {
            return with.apply(target, kind.convert().apply(value));
        }
    }

    private static final Kind<Double> NUMBER = new Kind<>(SearchParameters::toNumber);
    private static final Kind<Integer> INTEGER = new Kind<>(SearchParameters::toInteger);
    private static final Kind<String> STRING = new Kind<>(SearchParameters::toText);
    // A trial's request holds an optimizer of the enum, so a name is checked when the space is, not when the trial runs.
    private static final Kind<OptimizerType> OPTIMIZER = new Kind<>(v -> OptimizerType.parse(toText(v)));
    private static final Kind<List<HiddenLayerConfig>> LAYERS = new Kind<>(SearchParameters::toLayers);

    private static final Map<String, Setting<TrainingConfig, ?>> TRAINING_KEYS = Map.of(
            "learningRate", new Setting<>(NUMBER, TrainingConfig::withLearningRate),
            "batchSize", new Setting<>(INTEGER, TrainingConfig::withBatchSize),
            "epochs", new Setting<>(INTEGER, TrainingConfig::withEpochs),
            "optimizer", new Setting<>(OPTIMIZER, TrainingConfig::withOptimizer),
            "momentum", new Setting<>(NUMBER, TrainingConfig::withMomentum),
            "l1", new Setting<>(NUMBER, TrainingConfig::withL1),
            "l2", new Setting<>(NUMBER, TrainingConfig::withL2));
    private static final Map<String, Setting<NetworkConfig, ?>> NETWORK_KEYS = Map.of(
            "initializer", new Setting<>(STRING, NetworkConfig::withInitializer),
            "hiddenLayers", new Setting<>(LAYERS, NetworkConfig::withHiddenLayers));
    private static final Map<String, Setting<HiddenLayerConfig, ?>> LAYER_KEYS = Map.of(
            "units", new Setting<>(INTEGER, HiddenLayerConfig::withUnits),
            "activation", new Setting<>(STRING, HiddenLayerConfig::withActivation),
            "dropout", new Setting<>(NUMBER, HiddenLayerConfig::withDropout));
    /** The settings of one layer of a {@code hiddenLayers} value. */
    private static final Map<String, Setting<HiddenLayerConfig, ?>> LAYER_SETTINGS = layerSettings();
    private static final Pattern ONE_LAYER = Pattern.compile("hiddenLayers\\[(\\d+)]\\.(units|activation|dropout)");

    private static final String NO_LAYERS = "the base network has no hidden layers to vary";
    private static final String UNKNOWN_KEY = "unknown or unsearchable parameter; searchable: learningRate, batchSize, epochs, "
            + "optimizer, momentum, l1, l2, initializer, units, activation, dropout, hiddenLayers, hiddenLayers[i].units, "
            + "hiddenLayers[i].activation, hiddenLayers[i].dropout";

    private static Map<String, Setting<HiddenLayerConfig, ?>> layerSettings() {
        Map<String, Setting<HiddenLayerConfig, ?>> settings = new LinkedHashMap<>(LAYER_KEYS);
        settings.put("alpha", new Setting<>(NUMBER, HiddenLayerConfig::withAlpha));
        return Map.copyOf(settings);
    }

    /**
     * Parses and checks a space against the base request: every key must be searchable and fit the
     * base network, every value of the right type. Problems are added to {@code errors}.
     */
    public ParameterSpace parse(Map<String, Object> space, TrainingJobSpec base, boolean allowDistributions, List<FieldError> errors) {
        List<ParameterSpace.Dimension> dimensions = new ArrayList<>();
        if (space == null || space.isEmpty()) {
            errors.add(new FieldError("search.space", "needs at least one parameter"));
            return new ParameterSpace(dimensions);
        }
        int layers = base.network() == null || base.network().hiddenLayers() == null ? 0 : base.network().hiddenLayers().size();
        for (Map.Entry<String, Object> entry : space.entrySet()) {
            String key = entry.getKey();
            String field = "search.space." + key;
            Kind<?> kind = kindOf(key, layers, field, errors);
            if (kind == null) {
                continue;
            }
            Object value = entry.getValue();
            try {
                if (value instanceof List<?> list) {
                    List<Object> values = new ArrayList<>(list);
                    for (int i = 0; i < values.size(); i++) {
                        checkValue(kind, values.get(i), field + "[" + i + "]", errors);
                    }
                    dimensions.add(new ParameterSpace.Dimension(key, values, null));
                } else if (value instanceof Map<?, ?> map && allowDistributions) {
                    dimensions.add(new ParameterSpace.Dimension(key, null, distribution(map, kind)));
                } else {
                    errors.add(new FieldError(field, allowDistributions
                            ? "needs a list of values or a distribution {\"distribution\": \"uniform|loguniform|int_uniform\", \"min\": …, \"max\": …}"
                            : "needs a list of values (distributions are for random_search)"));
                }
            } catch (IllegalArgumentException | ClassCastException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
        }
        return new ParameterSpace(dimensions);
    }

    /**
     * The base request with one trial's values applied, in the order of {@code params}, and the trial's seed.
     *
     * @throws ApiException a validation problem naming {@code search.space.<key>} when a value does not
     *                      fit its key (a space checked by {@link #parse} has none)
     */
    public TrainingJobSpec apply(TrainingJobSpec base, Map<String, Object> params, long seed) {
        NetworkConfig network = base.network() != null ? base.network() : NetworkConfig.empty();
        TrainingConfig training = base.training() != null ? base.training() : TrainingConfig.empty();
        for (Map.Entry<String, Object> entry : params.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            try {
                Matcher oneLayer = ONE_LAYER.matcher(key);
                if (TRAINING_KEYS.containsKey(key)) {
                    training = TRAINING_KEYS.get(key).apply(training, value);
                } else if (NETWORK_KEYS.containsKey(key)) {
                    network = NETWORK_KEYS.get(key).apply(network, value);
                } else if (LAYER_KEYS.containsKey(key)) {
                    Setting<HiddenLayerConfig, ?> setting = LAYER_KEYS.get(key);
                    network = network.withHiddenLayers(hiddenLayers(network).stream().map(l -> setting.apply(l, value)).toList());
                } else if (oneLayer.matches()) {
                    List<HiddenLayerConfig> layers = new ArrayList<>(hiddenLayers(network));
                    int index = Integer.parseInt(oneLayer.group(1));
                    if (index >= layers.size()) {
                        throw new IllegalArgumentException("the base network has " + layers.size() + " hidden layers");
                    }
                    layers.set(index, LAYER_KEYS.get(oneLayer.group(2)).apply(layers.get(index), value));
                    network = network.withHiddenLayers(layers);
                } else {
                    throw new IllegalArgumentException(UNKNOWN_KEY);
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("search.space." + key, e.getMessage());
            }
        }
        return base.withNetwork(network).withTraining(training.withSeed(seed));
    }

    private static List<HiddenLayerConfig> hiddenLayers(NetworkConfig network) {
        if (network.hiddenLayers() == null || network.hiddenLayers().isEmpty()) {
            throw new IllegalArgumentException(NO_LAYERS);
        }
        return network.hiddenLayers();
    }

    private static Kind<?> kindOf(String key, int layers, String field, List<FieldError> errors) {
        if (TRAINING_KEYS.containsKey(key)) {
            return TRAINING_KEYS.get(key).kind();
        }
        if (NETWORK_KEYS.containsKey(key)) {
            return NETWORK_KEYS.get(key).kind();
        }
        if (LAYER_KEYS.containsKey(key)) {
            if (layers == 0) {
                errors.add(new FieldError(field, NO_LAYERS));
                return null;
            }
            return LAYER_KEYS.get(key).kind();
        }
        Matcher oneLayer = ONE_LAYER.matcher(key);
        if (oneLayer.matches()) {
            int index = Integer.parseInt(oneLayer.group(1));
            if (index >= layers) {
                errors.add(new FieldError(field, "the base network has " + layers + " hidden layers"));
                return null;
            }
            return LAYER_KEYS.get(oneLayer.group(2)).kind();
        }
        errors.add(new FieldError(field, UNKNOWN_KEY));
        return null;
    }

    private static void checkValue(Kind<?> kind, Object value, String field, List<FieldError> errors) {
        try {
            kind.convert().apply(value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    private static Double toNumber(Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw needs("a finite number", value);
    }

    // Integer and Long only, as JSON reads integers: a fraction such as 2.5 (or 2.0) is not one.
    private static Integer toInteger(Object value) {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw needs("an integer of at most " + Integer.MAX_VALUE, value);
            }
            return l.intValue();
        }
        throw needs("an integer", value);
    }

    private static String toText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw needs("a string", value);
    }

    /** A {@code hiddenLayers} value: layers of units, activation, dropout and alpha, each optional as in a request. */
    private static List<HiddenLayerConfig> toLayers(Object value) {
        if (!(value instanceof List<?> list) || !list.stream().allMatch(l -> l instanceof Map<?, ?>)) {
            throw needs("a list of layers such as [{\"units\": 8, \"activation\": \"relu\"}]", value);
        }
        List<HiddenLayerConfig> layers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            HiddenLayerConfig layer = new HiddenLayerConfig(null, null, null, null);
            for (Map.Entry<?, ?> setting : ((Map<?, ?>) list.get(i)).entrySet()) {
                Setting<HiddenLayerConfig, ?> known = LAYER_SETTINGS.get(setting.getKey());
                if (known == null) {
                    throw new IllegalArgumentException("layer " + i + ": unknown setting '" + setting.getKey()
                            + "'; expected units, activation, dropout or alpha");
                }
                try {
                    layer = setting.getValue() == null ? layer : known.apply(layer, setting.getValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + i + ": " + setting.getKey() + " " + e.getMessage(), e);
                }
            }
            layers.add(layer);
        }
        return layers;
    }

    private static IllegalArgumentException needs(String what, Object value) {
        return new IllegalArgumentException("needs " + what + ", got " + value);
    }

    private static Distribution distribution(Map<?, ?> spec, Kind<?> kind) {
        Object name = spec.get("distribution");
        if (!(spec.get("min") instanceof Number min) || !(spec.get("max") instanceof Number max)) {
            throw new IllegalArgumentException("a distribution needs numeric min and max");
        }
        if (spec.size() != 3) {
            throw new IllegalArgumentException("a distribution has exactly distribution, min and max");
        }
        if ("int_uniform".equals(name)) {
            if (kind != INTEGER) {
                throw new IllegalArgumentException("int_uniform is for integer parameters");
            }
            return new Distribution.IntUniform(min.longValue(), max.longValue());
        }
        if (kind != NUMBER) {
            throw new IllegalArgumentException(name + " is for numeric parameters; use a list of values");
        }
        if ("uniform".equals(name)) {
            return new Distribution.Uniform(min.doubleValue(), max.doubleValue());
        }
        if ("loguniform".equals(name)) {
            return new Distribution.LogUniform(min.doubleValue(), max.doubleValue());
        }
        throw new IllegalArgumentException("unknown distribution '" + name + "'; expected uniform, loguniform or int_uniform");
    }
}
