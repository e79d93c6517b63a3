package dev.backprop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.data.Table;
import dev.backprop.job.JobType;
import dev.backprop.search.SearchParameters;
import dev.backprop.search.SearchResolver;
import dev.backprop.support.TestProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spec document a job stores, pinned byte for byte: resolved requests written as the job table
 * stores them ({@link TrainingJobDocuments#writeSpec}) must match the frozen files under
 * {@code src/test/resources/jobs/}, and a document of an older shape must still read. A change here is a
 * change of the stored format: old rows must keep reading, so regenerate the files only on purpose
 * ({@code -Dgolden.update=true} writes them under {@code src/test/resources/jobs/}).
 */
class StoredSpecGoldenTest {

    /** The application's mapper settings (platform.JsonConfiguration). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private final TrainingJobDocuments documents = new TrainingJobDocuments(JSON);
    private final JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());
    private final SearchResolver searches = new SearchResolver(resolver, new SearchParameters(), TestProperties.defaults());

    private static TrainingData xor() {
        return new TrainingData(new Table(List.of("x1", "x2", "y"),
                List.of(List.of(0L, 0L, 0L), List.of(0L, 1L, 1L), List.of(1L, 0L, 1L), List.of(1L, 1L, 0L))), "y", null);
    }

    /** {@code n} rows of a numeric feature, a feature with gaps, a category and a target made from the row index. */
    private static TrainingData rows(int n, boolean regression) {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            row.add((double) i / n);
            row.add(i % 5 == 0 ? null : (double) (i % 7));
            row.add(List.of("red", "green", "blue").get(i % 3));
            row.add(regression ? (Object) (0.5 * i + (i % 4)) : (Object) List.of("a", "b", "c").get((i / 3) % 3));
            rows.add(row);
        }
        return new TrainingData(new Table(List.of("a", "b", "colour", "t"), rows), "t", null);
    }

    private static TrainingJobSpec spec(String name, String task, Map<String, Object> network, Map<String, Object> training) {
        return new TrainingJobSpec(name, task, network == null ? null : TrainingFixtures.network(network),
                training == null ? null : TrainingFixtures.training(training));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void theTutorialsXorStoresAsBefore() throws IOException {
        ResolvedTrainingJob job = resolver.resolve(spec("xor", "classification",
                map("hiddenLayers", List.of(map("units", 4, "activation", "sigmoid")), "outputActivation", "sigmoid"),
                map("loss", "mse", "optimizer", "sgd", "learningRate", 0.1, "epochs", 10000, "seed", 42L,
                        "validationFraction", 0.0, "scaling", "none")), xor());
        assertGolden("xor", job);
    }

    @Test
    void aRequestWithOnlyASeedStoresEveryDefaultAsBefore() throws IOException {
        ResolvedTrainingJob job = resolver.resolve(spec(null, null, null, map("seed", 7L)), rows(1200, false));
        assertGolden("defaults", job);
    }

    @Test
    void aRegressionWithEveryOptionGivenStoresAsBefore() throws IOException {
        ResolvedTrainingJob job = resolver.resolve(spec("every-option", "regression",
                map("hiddenLayers", List.of(map("units", 8, "activation", "leaky_relu", "dropout", 0.1, "alpha", 0.02),
                        map("units", 4, "activation", "tanh")), "outputActivation", "linear", "outputUnits", 1,
                        "initializer", "normal", "initializerScale", 0.05, "precision", "float32"),
                map("loss", "mae", "optimizer", "momentum", "learningRate", 0.02, "momentum", 0.8, "nesterov", true,
                        "epochs", 30, "batchSize", 16, "l1", 1e-5, "l2", 1e-4, "seed", 3L, "validationFraction", 0.25,
                        "validationSplit", "last", "scaling", "minmax", "imputation", "median", "unknownCategories", "reject",
                        "earlyStopping", map("monitor", "val_loss", "mode", "min", "patience", 4, "minDelta", 0.001),
                        "schedule", map("type", "reduce_on_plateau", "factor", 0.3, "monitor", "val_loss", "patience", 2,
                                "minDelta", 0.01, "minLearningRate", 1e-5),
                        "clipNorm", 5.0, "maxRuntimeSeconds", 60, "targetScaling", "standardize")), rows(80, true));
        assertGolden("regression-every-option", job);
    }

    @Test
    void aClassificationWithTheOtherOptionsStoresAsBefore() throws IOException {
        ResolvedTrainingJob job = resolver.resolve(spec("other-options", "classification",
                map("hiddenLayers", List.of(map("units", 6))),
                map("optimizer", "rmsprop", "rho", 0.8, "epsilon", 1e-6, "epochs", 12, "seed", 5L, "validationFraction", 0.2,
                        "validationSplit", "random", "scaling", "none", "imputation", "drop", "unknownCategories", "ignore",
                        "earlyStopping", map("monitor", "val_metric", "mode", "max"),
                        "schedule", map("type", "step", "everyEpochs", 3, "factor", 0.7),
                        "classWeights", map("a", 2.0, "b", 1.0))), rows(60, false));
        assertGolden("classification-other-options", job);
    }

    @Test
    void aGridSearchStoresAsBefore() throws IOException {
        TrainingJobSpec base = spec("grid", null, map("hiddenLayers", List.of(map("units", 4))),
                map("optimizer", "adam", "epochs", 20, "seed", 9L, "schedule", map("type", "exponential", "rate", 0.9)));
        SearchSpec search = new SearchSpec(SearchType.GRID_SEARCH, map("learningRate", List.of(0.01, 0.1), "units", List.of(2, 4),
                "optimizer", List.of("adam", "sgd")), null, null, null, null, 2, 11L, null, null, null, null, null, null, null, null);
        ResolvedTrainingJob job = searches.resolve(base, search, rows(40, false));
        assertThat(job.jobType()).isEqualTo(JobType.GRID_SEARCH);
        assertGolden("grid-search", job);
    }

    @Test
    void aRandomSearchStoresAsBefore() throws IOException {
        TrainingJobSpec base = spec("random", "regression", null, map("seed", 13L, "validationFraction", 0.2));
        SearchSpec search = new SearchSpec(SearchType.RANDOM_SEARCH, map("learningRate", map("distribution", "loguniform", "min", 1e-4,
                "max", 0.1), "batchSize", map("distribution", "int_uniform", "min", 8, "max", 32)), "mae", Direction.MIN, 4, new java.math.BigDecimal("120"), 1, 17L,
                3, false, 2, null, null, null, null, null);
        ResolvedTrainingJob job = searches.resolve(base, search, rows(50, true));
        assertThat(job.jobType()).isEqualTo(JobType.RANDOM_SEARCH);
        assertGolden("random-search", job);
    }

    @Test
    void aSpecStoredBeforeDefaultsWarningsTargetScalingAndClassWeightsStillReads() throws IOException {
        String older = resource("older-shape.json");
        ResolvedTrainingJob job = (ResolvedTrainingJob) documents.readSpec(JobType.TRAINING, older);
        assertThat(job.defaults()).isEmpty();
        assertThat(job.warnings()).isEmpty();
        assertThat(job.spec().training().targetScaling()).isNull();
        assertThat(job.spec().training().classWeights()).isNull();
        assertThat(job.spec().training().seed()).isEqualTo(42L);
        assertThat(job.spec().training().epochs()).isEqualTo(10000);
        assertThat(job.jobType()).isEqualTo(JobType.TRAINING);
        // What it stores now is the same document with the newer fields at their empty values.
        ResolvedTrainingJob reread = (ResolvedTrainingJob) documents.readSpec(JobType.TRAINING, documents.writeSpec(job));
        assertThat(reread).isEqualTo(job);
        // And the stored spec still plans the run it described.
        assertThat(resolver.plan(job, xor()).training().epochs()).isEqualTo(10000);
    }

    private void assertGolden(String name, ResolvedTrainingJob job) throws IOException {
        String written = documents.writeSpec(job);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/jobs", name + ".json"), written, StandardCharsets.UTF_8);
        }
        assertThat(written).isEqualTo(resource(name + ".json"));
        // A stored document reads back and writes the same bytes (class labels read back as the JSON's numbers).
        ResolvedTrainingJob reread = (ResolvedTrainingJob) documents.readSpec(job.jobType(), written);
        assertThat(reread.jobType()).isEqualTo(job.jobType());
        assertThat(documents.writeSpec(reread)).isEqualTo(written);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StoredSpecGoldenTest.class.getResourceAsStream("/jobs/" + name)) {
            assertThat(in).as("golden file jobs/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
