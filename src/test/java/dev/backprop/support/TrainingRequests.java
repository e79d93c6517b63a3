package dev.backprop.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Ready-made training requests for end-to-end tests. */
public final class TrainingRequests {

    private TrainingRequests() {
    }

    /** An example as Swagger UI offers it, read from the application's own example files. */
    public static String example(String name) {
        try (InputStream in = TrainingRequests.class.getResourceAsStream("/openapi/examples/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A job that trains for a long time (seconds to minutes) unless stopped: many small batches. */
    public static String longRunning(int epochs) {
        return Http.json(Map.of(
                "name", "long",
                "data", syntheticData(200, 1),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 32, "activation", "tanh"))),
                "training", Map.of("optimizer", "sgd", "learningRate", 0.01, "epochs", epochs, "batchSize", 1, "seed", 1,
                        "validationFraction", 0.2)));
    }

    /** A search over the long-running job: many trials, each taking a while unless stopped. */
    public static String longSearch(int epochsPerTrial, int parallelism) {
        return Http.json(Map.of(
                "type", "grid_search",
                "name", "long-search",
                "data", syntheticData(200, 1),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 16, "activation", "tanh"))),
                // Held-out rows and an early stopping that never fires: every trial runs all its epochs.
                "training", Map.of("optimizer", "sgd", "learningRate", 0.01, "epochs", epochsPerTrial, "batchSize", 1, "seed", 1,
                        "validationFraction", 0.2, "earlyStopping", Map.of("monitor", "loss", "patience", epochsPerTrial + 1)),
                "search", Map.of("space", Map.of("learningRate", List.of(0.001, 0.002, 0.005, 0.01, 0.02, 0.05)),
                        "parallelism", parallelism, "seed", 5)));
    }

    /** A grid search of two short trials (seconds in all), for tests that need a finished search and its trials. */
    public static String smallSearch() {
        return Http.json(Map.of(
                "type", "grid_search",
                "name", "small-search",
                "data", syntheticData(40, 2),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "tanh"))),
                "training", Map.of("optimizer", "sgd", "learningRate", 0.1, "epochs", 15, "seed", 1, "validationFraction", 0.25),
                "search", Map.of("space", Map.of("learningRate", List.of(0.05, 0.1)), "seed", 3)));
    }

    /** {@code rows × 3} standard-normal features labelled {@code x0 > 0 and x1 > 0}, as columns and rows. */
    public static Map<String, Object> syntheticData(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Object>> data = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            data.add(List.of(a, b, c, a > 0 && b > 0 ? 1 : 0));
        }
        return Map.of("columns", List.of("x0", "x1", "x2", "y"), "rows", data, "targetColumn", "y");
    }
}
