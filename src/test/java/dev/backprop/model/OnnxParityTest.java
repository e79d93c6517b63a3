package dev.backprop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.backprop.Tolerances;
import dev.backprop.data.ClassLabels;
import dev.backprop.data.DataException;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.Activation;
import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parity matrix of the ONNX export: every hidden activation of the engine, every output kind (two classes on
 * a sigmoid unit, three on softmax, a linear regression), both precisions and three preparations (raw numbers; a
 * categorical column with standardized numbers; a categorical column with min-max scaled numbers and median
 * imputation), each trained in-process for a few epochs on 200 rows with gaps. On 1,000 fresh rows (a tenth of
 * the cells missing, some categories never seen) onnxruntime answers what the model's predict answers, within
 * {@link Tolerances#ONNX_PARITY} in float64 and {@link Tolerances#ONNX_PARITY_FLOAT32} in float32. The service's
 * own path (JSON over HTTP, the stored model) is {@code ModelOnnxEndToEndTest}'s.
 */
class OnnxParityTest {

    private static final int TRAINING_ROWS = 200;
    private static final int ROWS = 1000;
    private static final List<String> COLOURS = List.of("blue", "green", "red");
    private static final OrtEnvironment ONNX = OrtEnvironment.getEnvironment();

    enum Output { BINARY, MULTICLASS, REGRESSION }

    /** How the features are prepared: scaling, imputation, and whether a categorical column is among them. */
    enum Preparation {
        RAW("none", "mean", false, false), STANDARDIZED_WITH_CATEGORY_FIRST("standardize", "mean", true, true),
        MINMAX_WITH_CATEGORY_LAST("minmax", "median", true, false);

        final String scaling;
        final String imputation;
        final boolean categorical;
        /** The colour before the numbers in the feature order, so that the graph's order (numbers first) differs. */
        final boolean categoryFirst;

        Preparation(String scaling, String imputation, boolean categorical, boolean categoryFirst) {
            this.scaling = scaling;
            this.imputation = imputation;
            this.categorical = categorical;
            this.categoryFirst = categoryFirst;
        }

        /** Rows of {@link #rows} in this preparation's feature order. */
        List<List<Object>> arranged(List<List<Object>> rows) {
            if (!categoryFirst) {
                return rows;
            }
            List<List<Object>> arranged = new ArrayList<>();
            for (List<Object> row : rows) {
                List<Object> moved = new ArrayList<>(row.subList(0, 3));
                moved.add(0, row.get(3));
                arranged.add(moved);
            }
            return arranged;
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation.Kind hidden : Activation.Kind.values()) {
            if (hidden == Activation.Kind.SOFTMAX) {
                continue; // the engine allows softmax on the output layer only; it is the multi-class output here
            }
            for (Output output : Output.values()) {
                for (Precision precision : Precision.values()) {
                    for (Preparation preparation : Preparation.values()) {
                        cases.add(Arguments.of(hidden, output, precision, preparation));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1}, {2}, {3}")
    @MethodSource("matrix")
    void onnxruntimeAnswersWhatPredictAnswers(Activation.Kind hidden, Output output, Precision precision, Preparation preparation)
            throws OrtException {
        TrainedModel model = trained(hidden, output, precision, preparation, "ignore");
        List<List<Object>> rows = preparation.arranged(rows(ROWS, 99, 0.1, preparation.categorical, true));
        double largest = assertParity(model, precision, rows);
        System.out.printf("ONNX parity, %s hidden, %s, %s, %s: largest difference %.3g over %d rows%n",
                hidden, output, precision.wireName(), preparation, largest, ROWS);
    }

    @Test
    void aFloat64ModelExportedAsAFloat32GraphAnswersWithinFloat32Rounding() throws OrtException {
        TrainedModel model = trained(Activation.Kind.TANH, Output.MULTICLASS, Precision.FLOAT64,
                Preparation.STANDARDIZED_WITH_CATEGORY_FIRST, "ignore");
        try (OrtSession session = ONNX.createSession(OnnxExport.of(model, Precision.FLOAT32), new OrtSession.SessionOptions())) {
            assertThat(session.getInputInfo().get(OnnxExport.INPUT).getInfo().toString()).contains("FLOAT").doesNotContain("DOUBLE");
        }
        assertParity(model, Precision.FLOAT32, Preparation.STANDARDIZED_WITH_CATEGORY_FIRST.arranged(rows(ROWS, 5, 0.1, true, true)));
    }

    @Test
    void rowsThePredictRefusesAnswerNaNAndTheOthersAnswerAsPredictDoes() throws OrtException {
        TrainedModel model = trained(Activation.Kind.RELU, Output.BINARY, Precision.FLOAT64, Preparation.MINMAX_WITH_CATEGORY_LAST,
                "reject");
        List<Object> known = new ArrayList<>(List.of(0.5, 6.0, -2.0, "red"));
        List<Object> unknown = new ArrayList<>(List.of(0.5, 6.0, -2.0, "purple"));
        List<Object> missingCategory = new ArrayList<>(Arrays.asList(0.5, 6.0, -2.0, null));
        assertThatThrownBy(() -> model.outputs(List.of(unknown), (r, f) -> "")).isInstanceOf(DataException.class);
        Map<String, double[][]> answers = run(OnnxExport.of(model), model, Precision.FLOAT64, List.of(known, unknown, missingCategory));
        double[][] probabilities = answers.get("probabilities");
        assertThat(Arrays.stream(probabilities[1]).boxed().toList()).as("an unknown category under reject").allMatch(p -> p.isNaN());
        double[] expected = model.classProbabilities(model.outputs(List.of(known, missingCategory), (r, f) -> ""), 2);
        assertThat(probabilities[0][1]).isCloseTo(expected[1], within(Tolerances.ONNX_PARITY));
        assertThat(probabilities[2][1]).as("a missing category takes the most frequent")
                .isCloseTo(expected[3], within(Tolerances.ONNX_PARITY));
    }

    @Test
    void aMissingCellUnderImputationDropAnswersNaNWhereThePredictRefusesIt() throws OrtException {
        TrainedModel model = trained(Activation.Kind.SIGMOID, Output.REGRESSION, Precision.FLOAT32, Preparation.RAW, "ignore");
        FeaturePipeline dropping = new FeaturePipeline(model.pipeline().steps().stream().map(step -> step instanceof
                FeaturePipeline.NumericStep numeric ? new FeaturePipeline.NumericStep(numeric.name(), numeric.scaling(), numeric.center(),
                numeric.scale(), null) : step).toList());
        TrainedModel strict = new TrainedModel(model.id(), null, model.createdAt(), model.task(), model.featureNames(), "y", dropping,
                null, model.network(), null, null);
        List<Object> missing = Arrays.asList(0.5, null, -2.0);
        assertThatThrownBy(() -> strict.outputs(List.of(missing), (r, f) -> "")).isInstanceOf(DataException.class);
        double[][] values = run(OnnxExport.of(strict), strict, Precision.FLOAT32, List.of(List.of(0.5, 6.0, -2.0), missing)).get("value");
        assertThat(values[0][0]).isCloseTo(strict.outputs(List.of(List.of(0.5, 6.0, -2.0)), (r, f) -> "")[0],
                within(Tolerances.ONNX_PARITY_FLOAT32));
        assertThat(values[1][0]).isNaN();
    }

    @Test
    void categoricalInputsAreNamedAfterTheirColumnsAsIdentifiersApartFromEveryOtherName() {
        Set<String> taken = new HashSet<>(List.of(OnnxExport.INPUT, "label"));
        assertThat(OnnxExport.inputName("colour", taken)).isEqualTo("colour");
        assertThat(OnnxExport.inputName("2nd colour", taken)).isEqualTo("_2nd_colour");
        assertThat(OnnxExport.inputName("label", taken)).isEqualTo("label_");
        assertThat(OnnxExport.inputName("colour", taken)).isEqualTo("colour_");
        assertThat(OnnxExport.inputName("features", taken)).isEqualTo("features_");
    }

    /** Predicts {@code rows} by the model and by onnxruntime; returns the largest difference. */
    private static double assertParity(TrainedModel model, Precision graph, List<List<Object>> rows) throws OrtException {
        double tolerance = graph == Precision.FLOAT32 ? Tolerances.ONNX_PARITY_FLOAT32 : Tolerances.ONNX_PARITY;
        double[] outputs = model.outputs(rows, (r, f) -> "[" + r + "][" + f + "]");
        Map<String, double[][]> answers = run(OnnxExport.of(model, graph), model, graph, rows);
        double largest = 0;
        if (model.task() == Task.REGRESSION) {
            double[][] values = answers.get("value");
            for (int r = 0; r < rows.size(); r++) {
                double difference = Math.abs(values[r][0] - outputs[r]);
                assertThat(difference).as("row %d: %s against %s", r, values[r][0], outputs[r])
                        .isLessThanOrEqualTo(tolerance * Math.max(1, Math.abs(outputs[r])));
                largest = Math.max(largest, difference);
            }
            return largest;
        }
        int classes = model.labels().size();
        double[] expected = model.classProbabilities(outputs, rows.size());
        double[][] probabilities = answers.get("probabilities");
        double[][] labels = answers.get("label");
        for (int r = 0; r < rows.size(); r++) {
            assertThat(probabilities[r]).hasSize(classes);
            for (int c = 0; c < classes; c++) {
                double difference = Math.abs(probabilities[r][c] - expected[r * classes + c]);
                assertThat(difference).as("row %d class %d", r, c).isLessThanOrEqualTo(tolerance);
                largest = Math.max(largest, difference);
            }
            int predicted = model.predictedClass(expected, r);
            int exported = (int) labels[r][0];
            if (exported != predicted) {
                // Only a near tie may go the other way: two probabilities (or p and the 0.5 threshold) within rounding.
                assertThat(Math.abs(expected[r * classes + exported] - expected[r * classes + predicted]))
                        .as("row %d: label %s against %s", r, exported, predicted).isLessThanOrEqualTo(2 * tolerance);
            }
        }
        return largest;
    }

    /** Runs the graph on rows of raw cells; the label comes back as its class index in {@code label[r][0]}. */
    private static Map<String, double[][]> run(byte[] onnx, TrainedModel model, Precision graph, List<List<Object>> rows)
            throws OrtException {
        List<Integer> numeric = new ArrayList<>();
        List<FeaturePipeline.ColumnStep> steps = model.pipeline().steps();
        for (int f = 0; f < steps.size(); f++) {
            if (steps.get(f) instanceof FeaturePipeline.NumericStep) {
                numeric.add(f);
            }
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        Map<String, double[][]> answers = new HashMap<>();
        try (OrtSession session = ONNX.createSession(onnx, new OrtSession.SessionOptions())) {
            double[][] values = new double[rows.size()][numeric.size()];
            for (int r = 0; r < rows.size(); r++) {
                for (int n = 0; n < numeric.size(); n++) {
                    Object cell = rows.get(r).get(numeric.get(n));
                    values[r][n] = cell == null ? Double.NaN : ((Number) cell).doubleValue();
                }
            }
            inputs.put(OnnxExport.INPUT, graph == Precision.FLOAT32 ? OnnxTensor.createTensor(ONNX, narrowed(values))
                    : OnnxTensor.createTensor(ONNX, values));
            for (int f = 0; f < steps.size(); f++) {
                if (steps.get(f) instanceof FeaturePipeline.CategoricalStep step) {
                    String[] texts = new String[rows.size()];
                    for (int r = 0; r < rows.size(); r++) {
                        Object cell = rows.get(r).get(f);
                        texts[r] = cell == null ? OnnxExport.MISSING : String.valueOf(cell);
                    }
                    inputs.put(step.name(), OnnxTensor.createTensor(ONNX, texts));
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    Object value = output.getValue().getValue();
                    if (value instanceof String[] labels) {
                        ClassLabels classes = model.labels();
                        double[][] indexes = new double[labels.length][1];
                        for (int r = 0; r < labels.length; r++) {
                            indexes[r][0] = classes.labels().stream().map(String::valueOf).toList().indexOf(labels[r]);
                        }
                        answers.put(output.getKey(), indexes);
                    } else if (value instanceof float[][] floats) {
                        answers.put(output.getKey(), widened(floats));
                    } else {
                        answers.put(output.getKey(), (double[][]) value);
                    }
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
        return answers;
    }

    private static TrainedModel trained(Activation.Kind hidden, Output output, Precision precision, Preparation preparation,
                                        String unknownCategories) {
        List<List<Object>> rows = preparation.arranged(rows(TRAINING_ROWS, 1, 0.1, preparation.categorical, false));
        List<Object> targets = new ArrayList<>();
        for (List<Object> row : rows(TRAINING_ROWS, 1, 0, preparation.categorical, false)) {
            double x0 = (Double) row.get(0);
            double x1 = (Double) row.get(1);
            double x2 = (Double) row.get(2);
            double shift = preparation.categorical ? COLOURS.indexOf(row.get(3)) - 1 : 0;
            targets.add(switch (output) {
                case BINARY -> x0 + shift > 0 ? "yes" : "no";
                case MULTICLASS -> x1 > 8 ? "a" : x2 + shift > -2 ? "b" : "c";
                case REGRESSION -> 40 * x0 - 25 * x2 + 10 * shift + 300;
            });
        }
        List<String> names = new ArrayList<>(List.of("x0", "x1", "x2"));
        if (preparation.categorical) {
            names.add(preparation.categoryFirst ? 0 : 3, "colour");
        }
        FeaturePipeline pipeline = FeaturePipeline.fit(names, rows,
                new FeaturePipeline.Options(preparation.scaling, preparation.imputation, unknownCategories));
        double[] features = pipeline.transform(rows, (r, f) -> "");
        ClassLabels labels = output == Output.REGRESSION ? null : ClassLabels.of(targets);
        int units = output == Output.MULTICLASS ? 3 : 1;
        Activation activation = Activation.named(hidden.wireName());
        Activation outputActivation = switch (output) {
            case BINARY -> Activation.sigmoid();
            case MULTICLASS -> Activation.softmax();
            case REGRESSION -> Activation.linear();
        };
        NetworkSpec spec = new NetworkSpec(pipeline.width(), List.of(LayerSpec.of(6, activation), LayerSpec.of(4, activation)), units,
                outputActivation, null, precision);
        double[] encoded = labels == null ? targets.stream().mapToDouble(t -> (Double) t).toArray() : labels.encode(targets, units);
        Loss loss = Loss.named(switch (output) {
            case BINARY -> "binary_crossentropy";
            case MULTICLASS -> "categorical_crossentropy";
            case REGRESSION -> "mse";
        });
        Network network = Network.initialize(spec, new SplittableRandom(7));
        Task task = output == Output.REGRESSION ? Task.REGRESSION : Task.CLASSIFICATION;
        new Trainer().train(network, new LabeledData(features, encoded, TRAINING_ROWS, pipeline.width(), units), null,
                TrainingSpec.basic(task, loss, OptimizerSpec.Adam.withLearningRate(0.01), 10, 50), new SplittableRandom(7),
                CancellationToken.NONE, EpochListener.NONE);
        return new TrainedModel(UUID.randomUUID(), null, Instant.now(), task, names, "y", pipeline, labels, network, null, null);
    }

    /**
     * Rows of three normal features with their own offsets and spreads (so that scaling matters) and, when asked, a
     * colour; a fraction of the cells missing, and with {@code unseen} every 50th colour one the model never saw.
     */
    private static List<List<Object>> rows(int count, long seed, double missing, boolean categorical, boolean unseen) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] spread = {1, 10, 0.5};
        double[] offset = {0, 5, -2};
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            List<Object> row = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
                double value = offset[f] + spread[f] * random.nextGaussian();
                row.add(random.nextDouble() < missing ? null : value);
            }
            if (categorical) {
                String colour = unseen && r % 50 == 0 ? "purple" : COLOURS.get(random.nextInt(COLOURS.size()));
                row.add(random.nextDouble() < missing ? null : colour);
            }
            rows.add(row);
        }
        return rows;
    }

    private static float[][] narrowed(double[][] values) {
        float[][] floats = new float[values.length][];
        for (int r = 0; r < values.length; r++) {
            floats[r] = new float[values[r].length];
            for (int c = 0; c < values[r].length; c++) {
                floats[r][c] = (float) values[r][c];
            }
        }
        return floats;
    }

    private static double[][] widened(float[][] values) {
        double[][] doubles = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            doubles[r] = new double[values[r].length];
            for (int c = 0; c < values[r].length; c++) {
                doubles[r][c] = values[r][c];
            }
        }
        return doubles;
    }
}
