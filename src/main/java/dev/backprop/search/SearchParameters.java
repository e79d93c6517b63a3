package dev.backprop.search;

import dev.backprop.training.OptimizerType;
import dev.backprop.training.TrainingJobSpec;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.search.ParameterSpace.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The searchable parameters and how a trial's values are applied to the base request.
 *
 * <p>Keys: {@code learningRate}, {@code batchSize}, {@code epochs}, {@code optimizer}, {@code momentum},
 * {@code l1}, {@code l2}, {@code initializer}; for every hidden layer at once {@code units},
 * {@code activation}, {@code dropout}; for one layer {@code hiddenLayers[i].units},
 * {@code hiddenLayers[i].activation}, {@code hiddenLayers[i].dropout}; and the whole layer list
 * {@code hiddenLayers} (each value a list of layers).
 */
@Component
public class SearchParameters {

    private static final Map<String, String> TRAINING_KEYS = Map.of("learningRate", "number", "batchSize", "integer",
            "epochs", "integer", "optimizer", "optimizer", "momentum", "number", "l1", "number", "l2", "number");
    private static final Map<String, String> LAYER_KEYS = Map.of("units", "integer", "activation", "string", "dropout", "number");
    private static final Pattern ONE_LAYER = Pattern.compile("hiddenLayers\\[(\\d+)]\\.(units|activation|dropout)");

    private final JsonMapper json;

    public SearchParameters(JsonMapper json) {
        this.json = json;
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
            String type = typeOf(key, layers, field, errors);
            if (type == null) {
                continue;
            }
            Object value = entry.getValue();
            try {
                if (value instanceof List<?> list) {
                    List<Object> values = new ArrayList<>(list);
                    for (int i = 0; i < values.size(); i++) {
                        checkType(type, values.get(i), field + "[" + i + "]", errors);
                    }
                    dimensions.add(new ParameterSpace.Dimension(key, values, null));
                } else if (value instanceof Map<?, ?> map && allowDistributions) {
                    dimensions.add(new ParameterSpace.Dimension(key, null, distribution(map, type)));
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

    /** The base request with one trial's values applied. */
    @SuppressWarnings("unchecked")
    public TrainingJobSpec apply(TrainingJobSpec base, Map<String, Object> params, long seed) {
        Map<String, Object> tree = json.convertValue(base, LinkedHashMap.class);
        Map<String, Object> network = (Map<String, Object>) tree.computeIfAbsent("network", k -> new LinkedHashMap<>());
        Map<String, Object> training = (Map<String, Object>) tree.computeIfAbsent("training", k -> new LinkedHashMap<>());
        if (network == null) {
            network = new LinkedHashMap<>();
            tree.put("network", network);
        }
        if (training == null) {
            training = new LinkedHashMap<>();
            tree.put("training", training);
        }
        for (Map.Entry<String, Object> entry : params.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            Matcher oneLayer = ONE_LAYER.matcher(key);
            if (TRAINING_KEYS.containsKey(key)) {
                training.put(key, value);
            } else if (key.equals("initializer")) {
                network.put(key, value);
            } else if (key.equals("hiddenLayers")) {
                network.put(key, value);
            } else if (LAYER_KEYS.containsKey(key)) {
                for (Object layer : (List<Object>) network.get("hiddenLayers")) {
                    ((Map<String, Object>) layer).put(key, value);
                }
            } else if (oneLayer.matches()) {
                List<Object> layers = (List<Object>) network.get("hiddenLayers");
                ((Map<String, Object>) layers.get(Integer.parseInt(oneLayer.group(1)))).put(oneLayer.group(2), value);
            }
        }
        training.put("seed", seed);
        return json.convertValue(tree, TrainingJobSpec.class);
    }

    private static String typeOf(String key, int layers, String field, List<FieldError> errors) {
        if (TRAINING_KEYS.containsKey(key)) {
            return TRAINING_KEYS.get(key);
        }
        if (key.equals("initializer")) {
            return "string";
        }
        if (key.equals("hiddenLayers")) {
            return "layers";
        }
        if (LAYER_KEYS.containsKey(key)) {
            if (layers == 0) {
                errors.add(new FieldError(field, "the base network has no hidden layers to vary"));
                return null;
            }
            return LAYER_KEYS.get(key);
        }
        Matcher oneLayer = ONE_LAYER.matcher(key);
        if (oneLayer.matches()) {
            int index = Integer.parseInt(oneLayer.group(1));
            if (index >= layers) {
                errors.add(new FieldError(field, "the base network has " + layers + " hidden layers"));
                return null;
            }
            return LAYER_KEYS.get(oneLayer.group(2));
        }
        errors.add(new FieldError(field, "unknown or unsearchable parameter; searchable: learningRate, batchSize, epochs, optimizer, "
                + "momentum, l1, l2, initializer, units, activation, dropout, hiddenLayers, hiddenLayers[i].units, "
                + "hiddenLayers[i].activation, hiddenLayers[i].dropout"));
        return null;
    }

    private static void checkType(String type, Object value, String field, List<FieldError> errors) {
        if (type.equals("optimizer") && value instanceof String name) {
            // A trial's request holds an optimizer of the enum, so a name is checked here, not when the trial runs.
            try {
                OptimizerType.parse(name);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, e.getMessage()));
            }
            return;
        }
        boolean ok = switch (type) {
            case "number" -> value instanceof Number n && Double.isFinite(n.doubleValue());
            case "integer" -> value instanceof Long || value instanceof Integer;
            case "string", "optimizer" -> value instanceof String;
            case "layers" -> value instanceof List<?> list && list.stream().allMatch(l -> l instanceof Map<?, ?>);
            default -> false;
        };
        if (!ok) {
            errors.add(new FieldError(field, "needs " + switch (type) {
                case "number" -> "a finite number";
                case "integer" -> "an integer";
                case "string", "optimizer" -> "a string";
                default -> "a list of layers such as [{\"units\": 8, \"activation\": \"relu\"}]";
            } + ", got " + value));
        }
    }

    private static Distribution distribution(Map<?, ?> spec, String type) {
        Object name = spec.get("distribution");
        if (!(spec.get("min") instanceof Number min) || !(spec.get("max") instanceof Number max)) {
            throw new IllegalArgumentException("a distribution needs numeric min and max");
        }
        if (spec.size() != 3) {
            throw new IllegalArgumentException("a distribution has exactly distribution, min and max");
        }
        if ("int_uniform".equals(name)) {
            if (!type.equals("integer")) {
                throw new IllegalArgumentException("int_uniform is for integer parameters");
            }
            return new Distribution.IntUniform(min.longValue(), max.longValue());
        }
        if (!type.equals("number")) {
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
