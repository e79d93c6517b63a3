package dev.backprop.model;

import static dev.backprop.model.OnnxGraph.intAttribute;
import static dev.backprop.model.OnnxGraph.intsAttribute;
import static dev.backprop.model.OnnxGraph.stringsAttribute;
import static dev.backprop.model.OnnxGraph.tensorInfo;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.backprop.data.ClassLabels;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.data.FeaturePipeline.CategoricalStep;
import dev.backprop.data.FeaturePipeline.NumericStep;
import dev.backprop.nn.Activation;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link TrainedModel} as an ONNX model (opset {@value #OPSET} and {@code ai.onnx.ml} {@value #ML_OPSET}, IR
 * version {@value #IR_VERSION}) computing what {@link ModelService#predict} answers, in the model's precision
 * (float64 graphs for float64 models, float32 for float32 ones; either can be asked for).
 *
 * <p>Inputs: {@code features}, {@code [N, numeric features]} raw values of the numeric features in the model's
 * feature order, NaN for a missing value (absent when every feature is categorical); and one string tensor
 * {@code [N]} per categorical feature, named after its column (as an identifier: other characters become
 * {@code _}, and a name taken gets a {@code _} more), carrying each row's category as text ({@code String.valueOf}:
 * {@code 3}, {@code true}) and the empty string for a missing cell, as an empty CSV field is.
 *
 * <p>The graph imputes NaN with the training fill ({@code Where(IsNaN(x), fill, x)}) and scales as the pipeline
 * does ({@code (x − center) / scale}); it one-hot encodes each category with {@code LabelEncoder} (text → index,
 * −1 for a category never seen, the fill's index for a missing one) and {@code Equal} against the indexes
 * {@code 0 … K−1}, so an unknown category is all zeros as the service encodes it under {@code ignore}. Where the
 * service answers 400 instead (an unknown category under {@code reject}, a missing cell under imputation
 * {@code drop}), the graph adds NaN to the row's encoding and the row answers NaN. The numeric block comes first
 * and the one-hot blocks after it; the first layer's weight rows are reordered to match, which changes only the
 * order of its sums. Each dense layer is {@code Gemm(x, W, b)} and its activation.
 *
 * <p>Outputs: a classifier's {@code probabilities} {@code [N, classes]} (one sigmoid unit becomes {@code [1 − p, p]})
 * and {@code label} {@code [N]} (the class as a string, ties and the 0.5 threshold decided as the service decides
 * them); a regression's {@code value} {@code [N, outputs]}, in the target's units (a standardized target's inverse
 * is folded into the output layer's weights at training).
 *
 * <p>LeakyRelu and Elu are written as {@code Where(x > 0, x, …)}: onnxruntime's CPU kernels for those two
 * operators are float32 only, and this keeps a float64 graph float64.
 */
final class OnnxExport {

    static final int OPSET = 17;
    /** The {@code ai.onnx.ml} opset of ONNX 1.12, the release of opset 17. */
    static final int ML_OPSET = 3;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;
    static final String INPUT = "features";
    /** A categorical input's text for a missing cell. */
    static final String MISSING = "";
    /** LabelEncoder's index of a category the model never saw. */
    private static final long UNKNOWN = -1;
    /** LabelEncoder's index of a missing category in a column without a fill (imputation drop). */
    private static final long MISSING_WITHOUT_FILL = -2;

    private final OnnxGraph graph;
    private final GraphProto.Builder proto = GraphProto.newBuilder();
    /** The graph's input and output names. */
    private final Set<String> names = new HashSet<>(List.of(INPUT, "probabilities", "label", "value"));

    private OnnxExport(Precision precision) {
        graph = new OnnxGraph(precision);
    }

    /** The ONNX bytes of a model, in the precision it was trained in. */
    static byte[] of(TrainedModel model) {
        return of(model, model.network().spec().precision());
    }

    /** The ONNX bytes of a model as a graph of {@code precision} reals. */
    static byte[] of(TrainedModel model, Precision precision) {
        return new OnnxExport(precision).build(model).toByteArray();
    }

    private OnnxMl.ModelProto build(TrainedModel model) {
        NetworkSpec spec = model.network().spec();
        FeaturePipeline pipeline = model.pipeline();
        List<String> blocks = new ArrayList<>();
        // sourceRows[i]: the network input that the graph's i-th encoded column is
        int[] sourceRows = new int[pipeline.width()];
        int position = 0;
        List<NumericStep> numeric = new ArrayList<>();
        int offset = 0;
        for (FeaturePipeline.ColumnStep step : pipeline.steps()) {
            if (step instanceof NumericStep numericStep) {
                numeric.add(numericStep);
                sourceRows[position++] = offset;
            }
            offset += step.width();
        }
        if (!numeric.isEmpty()) {
            proto.addInput(tensorInfo(INPUT, graph.realType(), "raw values of the numeric features "
                    + numeric.stream().map(NumericStep::name).toList() + ", NaN for a missing value", numeric.size()));
            blocks.add(preprocessed(numeric));
        }
        offset = 0;
        for (FeaturePipeline.ColumnStep step : pipeline.steps()) {
            if (step instanceof CategoricalStep categorical) {
                blocks.add(oneHot(categorical));
                for (int k = 0; k < step.width(); k++) {
                    sourceRows[position++] = offset + k;
                }
            }
            offset += step.width();
        }
        String x = blocks.size() == 1 ? blocks.get(0) : graph.node("Concat", blocks, intAttribute("axis", 1));

        double[][] parameters = model.network().parameters();
        int fanIn = spec.inputSize();
        List<LayerSpec> hidden = spec.hiddenLayers();
        for (int l = 0; l <= hidden.size(); l++) {
            int units = l < hidden.size() ? hidden.get(l).units() : spec.outputUnits();
            Activation activation = l < hidden.size() ? hidden.get(l).activation() : spec.outputActivation();
            double[] w = l == 0 ? rowsInOrder(parameters[0], sourceRows, units) : parameters[2 * l];
            String weights = graph.reals("W" + l, w, fanIn, units);
            String bias = graph.reals("b" + l, parameters[2 * l + 1], units);
            x = activation(activation, graph.node("Gemm", List.of(x, weights, bias)));
            fanIn = units;
        }
        if (model.task() == Task.REGRESSION) {
            graph.output(x, "value");
            proto.addOutput(tensorInfo("value", graph.realType(), "predicted value in the target's units", spec.outputUnits()));
        } else {
            classifierOutputs(model, x);
        }
        proto.setName("backprop-" + model.id()).addAllNode(graph.nodes()).addAllInitializer(graph.initializers());
        OnnxMl.ModelProto.Builder onnx = OnnxMl.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("backprop")
                .setProducerVersion(model.provenance() == null ? "" : model.provenance().backpropVersion())
                .setDocString("Backprop model " + model.id() + " (" + model.task().wireName() + "), target '"
                        + model.targetColumn() + "', features " + model.featureNames())
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (numeric.size() < model.featureNames().size()) {
            onnx.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(OnnxGraph.ML_DOMAIN).setVersion(ML_OPSET));
        }
        return onnx.setGraph(proto).build();
    }

    /** Imputation of NaN, then scaling, of the numeric input; steps that change nothing are left out. */
    private String preprocessed(List<NumericStep> steps) {
        int width = steps.size();
        double[] fill = new double[width];
        double[] center = new double[width];
        double[] scale = new double[width];
        boolean imputes = false;
        boolean scales = false;
        for (int f = 0; f < width; f++) {
            NumericStep step = steps.get(f);
            fill[f] = step.fill() == null ? Double.NaN : step.fill();
            imputes |= step.fill() != null;
            center[f] = step.center();
            scale[f] = step.scale();
            scales |= step.center() != 0 || step.scale() != 1;
        }
        String x = INPUT;
        if (imputes) {
            x = graph.node("Where", List.of(graph.node("IsNaN", List.of(x)), graph.reals("fill", fill, 1, width), x));
        }
        if (scales) {
            x = graph.node("Div", List.of(graph.node("Sub", List.of(x, graph.reals("center", center, 1, width))),
                    graph.reals("scale", scale, 1, width)));
        }
        return x;
    }

    /** The {@code [N, categories]} one-hot block of a categorical input (see the class comment). */
    private String oneHot(CategoricalStep step) {
        String input = inputName(step.name(), names);
        proto.addInput(tensorInfo(input, TensorProto.DataType.STRING, "categorical feature '" + step.name()
                + "': the category as text, '' for a missing cell"));
        List<String> keys = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        int categories = step.categories().size();
        for (int k = 0; k < categories; k++) {
            String text = String.valueOf(step.categories().get(k));
            if (!keys.contains(text)) {
                keys.add(text);
                indexes.add((long) k);
            }
        }
        if (!keys.contains(MISSING)) {
            keys.add(MISSING);
            indexes.add(step.fill() == null ? MISSING_WITHOUT_FILL : ClassLabels.fromStored(step.categories()).indexOf(step.fill()));
        }
        String index = graph.node(OnnxGraph.ML_DOMAIN, "LabelEncoder", List.of(input), stringsAttribute("keys_strings", keys),
                intsAttribute("values_int64s", indexes.stream().mapToLong(Long::longValue).toArray()),
                intAttribute("default_int64", UNKNOWN));
        String column = graph.node("Unsqueeze", List.of(index, graph.longs("axis", new long[]{1}, 1)));
        long[] range = new long[categories];
        for (int k = 0; k < categories; k++) {
            range[k] = k;
        }
        String hot = graph.node("Cast", List.of(graph.node("Equal", List.of(column, graph.longs("categories", range, 1, categories)))),
                intAttribute("to", graph.realType().getNumber()));
        boolean reject = step.unknown().equals("reject");
        if (!reject && step.fill() != null) {
            return hot;
        }
        String refused = reject
                ? graph.node("Less", List.of(column, graph.longs("zero", new long[]{0})))
                : graph.node("Equal", List.of(column, graph.longs("missing", new long[]{MISSING_WITHOUT_FILL})));
        return graph.node("Add", List.of(hot, graph.node("Where", List.of(refused, graph.scalar("nan", Double.NaN),
                graph.scalar("zero", 0)))));
    }

    /** A column name as an input name: an identifier, different from every name {@code taken} (which it joins). */
    static String inputName(String column, Set<String> taken) {
        String name = column.replaceAll("[^A-Za-z0-9_]", "_");
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        while (!taken.add(name)) {
            name += "_";
        }
        return name;
    }

    /** The rows of a row-major {@code [rows × columns]} matrix in the order {@code sourceRows} names them. */
    private static double[] rowsInOrder(double[] matrix, int[] sourceRows, int columns) {
        double[] reordered = new double[matrix.length];
        for (int r = 0; r < sourceRows.length; r++) {
            System.arraycopy(matrix, sourceRows[r] * columns, reordered, r * columns, columns);
        }
        return reordered;
    }

    private String activation(Activation activation, String z) {
        return switch (activation.kind()) {
            case LINEAR -> z;
            case RELU -> graph.node("Relu", List.of(z));
            case SIGMOID -> graph.node("Sigmoid", List.of(z));
            case TANH -> graph.node("Tanh", List.of(z));
            case SOFTMAX -> graph.node("Softmax", List.of(z), intAttribute("axis", -1));
            case LEAKY_RELU -> graph.node("Where", List.of(positive(z), z,
                    graph.node("Mul", List.of(z, graph.scalar("slope", activation.alpha())))));
            case ELU -> graph.node("Where", List.of(positive(z), z, graph.node("Mul", List.of(
                    graph.node("Sub", List.of(graph.node("Exp", List.of(z)), graph.scalar("one", 1))),
                    graph.scalar("alpha", activation.alpha())))));
        };
    }

    private String positive(String z) {
        return graph.node("Greater", List.of(z, graph.scalar("zero", 0)));
    }

    /** {@code probabilities} and {@code label}, as {@link TrainedModel#classProbabilities} and {@link TrainedModel#predictedClass}. */
    private void classifierOutputs(TrainedModel model, String outputs) {
        boolean oneSigmoidUnit = model.network().spec().outputUnits() == 1;
        String probabilities = oneSigmoidUnit
                ? graph.node("Concat", List.of(graph.node("Sub", List.of(graph.scalar("one", 1), outputs)), outputs), intAttribute("axis", 1))
                : outputs;
        graph.output(probabilities, "probabilities");
        // The service takes the first of equal probabilities, and class 1 at p = 0.5 exactly: [0.5, 0.5] is a tie
        // that the last index wins. For p ≥ 0.25, 1 − p is exact (in float32 as in float64), so p ≥ 0.5 exactly
        // when p ≥ 1 − p.
        String index = graph.node("ArgMax", List.of(probabilities), intAttribute("axis", 1), intAttribute("keepdims", 0),
                intAttribute("select_last_index", oneSigmoidUnit ? 1 : 0));
        String labels = graph.strings("labels", model.labels().labels().stream().map(String::valueOf).toList());
        graph.output(graph.node("Gather", List.of(labels, index), intAttribute("axis", 0)), "label");
        proto.addOutput(tensorInfo("probabilities", graph.realType(), "probability of each class " + model.labels().labels(),
                model.labels().size()));
        proto.addOutput(tensorInfo("label", TensorProto.DataType.STRING, "the predicted class"));
    }
}
