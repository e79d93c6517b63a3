package dev.backprop.model;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.Activation;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A numeric {@link TrainedModel} as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION})
 * computing what {@link ModelService#predict} answers, in float64 throughout so that it agrees with the
 * service to rounding.
 *
 * <p>Input {@code features}: {@code [N, features]} float64 raw values in the model's feature order, NaN for
 * a missing value. The graph imputes NaN with the training fill ({@code Where(IsNaN(x), fill, x)}; a column
 * without one, imputation {@code drop}, keeps NaN and its rows answer NaN where the service answers 400),
 * then scales as the pipeline does ({@code (x − center) / scale}), then runs each dense layer as
 * {@code Gemm(x, W, b)} and its activation. Outputs: a classifier's {@code probabilities} {@code [N, classes]}
 * (one sigmoid unit becomes {@code [1 − p, p]}) and {@code label} {@code [N]} (the class as a string, ties and
 * the 0.5 threshold decided as the service decides them); a regression's {@code value} {@code [N, outputs]},
 * in the target's units.
 *
 * <p>LeakyRelu and Elu are written as {@code Where(x > 0, x, …)}: onnxruntime's CPU kernels for those two
 * operators are float32 only, and this keeps the graph float64.
 */
final class OnnxExport {

    static final int OPSET = 17;
    /** The IR version that goes with opset 17 (ONNX 1.12). */
    static final int IR_VERSION = 8;
    static final String INPUT = "features";

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int names;

    private OnnxExport() {
    }

    /**
     * The ONNX bytes of a model.
     *
     * @throws NotExportableException when a feature is categorical: the export covers numeric models
     */
    static byte[] of(TrainedModel model) {
        String categorical = model.pipeline().firstCategoricalColumn();
        if (categorical != null) {
            throw new NotExportableException("model " + model.id() + " reads the categorical feature '" + categorical
                    + "'; the ONNX export covers models whose features are all numeric");
        }
        return new OnnxExport().build(model).toByteArray();
    }

    private OnnxMl.ModelProto build(TrainedModel model) {
        NetworkSpec spec = model.network().spec();
        String x = preprocessed(model.pipeline());
        double[][] parameters = model.network().parameters();
        int fanIn = spec.inputSize();
        List<LayerSpec> hidden = spec.hiddenLayers();
        for (int l = 0; l <= hidden.size(); l++) {
            int units = l < hidden.size() ? hidden.get(l).units() : spec.outputUnits();
            Activation activation = l < hidden.size() ? hidden.get(l).activation() : spec.outputActivation();
            String weights = doubles("W" + l, parameters[2 * l], fanIn, units);
            String bias = doubles("b" + l, parameters[2 * l + 1], units);
            x = activation(activation, node("Gemm", List.of(x, weights, bias)));
            fanIn = units;
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("backprop-" + model.id())
                .addInput(tensorInfo(INPUT, TensorProto.DataType.DOUBLE, model.featureNames().size()));
        if (model.task() == Task.REGRESSION) {
            nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(x).addOutput("value").build());
            graph.addOutput(tensorInfo("value", TensorProto.DataType.DOUBLE, spec.outputUnits()));
        } else {
            classifierOutputs(model, x);
            graph.addOutput(tensorInfo("probabilities", TensorProto.DataType.DOUBLE, model.labels().size()));
            graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("label").setType(OnnxMl.TypeProto.newBuilder()
                    .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.STRING.getNumber())
                            .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(batch())))));
        }
        graph.addAllNode(nodes).addAllInitializer(initializers);
        return OnnxMl.ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("backprop")
                .setProducerVersion(model.provenance() == null ? "" : model.provenance().backpropVersion())
                .setDocString("Backprop model " + model.id() + " (" + model.task().wireName() + "), target '"
                        + model.targetColumn() + "', features " + model.featureNames())
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph).build();
    }

    /** Imputation of NaN, then scaling; steps that change nothing are left out. */
    private String preprocessed(FeaturePipeline pipeline) {
        int width = pipeline.steps().size();
        double[] fill = new double[width];
        double[] center = new double[width];
        double[] scale = new double[width];
        boolean imputes = false;
        for (int f = 0; f < width; f++) {
            FeaturePipeline.NumericStep step = (FeaturePipeline.NumericStep) pipeline.steps().get(f);
            fill[f] = step.fill() == null ? Double.NaN : step.fill();
            imputes |= step.fill() != null;
            center[f] = step.center();
            scale[f] = step.scale();
        }
        String x = INPUT;
        if (imputes) {
            x = node("Where", List.of(node("IsNaN", List.of(x)), doubles("fill", fill, 1, width), x));
        }
        if (!pipeline.isIdentity()) {
            x = node("Div", List.of(node("Sub", List.of(x, doubles("center", center, 1, width))), doubles("scale", scale, 1, width)));
        }
        return x;
    }

    private String activation(Activation activation, String z) {
        return switch (activation.kind()) {
            case LINEAR -> z;
            case RELU -> node("Relu", List.of(z));
            case SIGMOID -> node("Sigmoid", List.of(z));
            case TANH -> node("Tanh", List.of(z));
            case SOFTMAX -> node("Softmax", List.of(z), intAttribute("axis", -1));
            case LEAKY_RELU -> node("Where", List.of(positive(z), z, node("Mul", List.of(z, scalar("slope", activation.alpha())))));
            case ELU -> node("Where", List.of(positive(z), z, node("Mul", List.of(
                    node("Sub", List.of(node("Exp", List.of(z)), scalar("one", 1))), scalar("alpha", activation.alpha())))));
        };
    }

    private String positive(String z) {
        return node("Greater", List.of(z, scalar("zero", 0)));
    }

    /** {@code probabilities} and {@code label}, as {@link TrainedModel#classProbabilities} and {@link TrainedModel#predictedClass}. */
    private void classifierOutputs(TrainedModel model, String outputs) {
        boolean oneSigmoidUnit = model.network().spec().outputUnits() == 1;
        String probabilities = oneSigmoidUnit
                ? node("Concat", List.of(node("Sub", List.of(scalar("one", 1), outputs)), outputs), intAttribute("axis", 1))
                : outputs;
        nodes.add(NodeProto.newBuilder().setOpType("Identity").addInput(probabilities).addOutput("probabilities").build());
        // The service takes the first of equal probabilities, and class 1 at p = 0.5 exactly: [0.5, 0.5] is a tie
        // that the last index wins. For p ≥ 0.25, 1 − p is exact, so p ≥ 0.5 exactly when p ≥ 1 − p.
        String index = node("ArgMax", List.of(probabilities), intAttribute("axis", 1), intAttribute("keepdims", 0),
                intAttribute("select_last_index", oneSigmoidUnit ? 1 : 0));
        TensorProto.Builder labels = TensorProto.newBuilder().setName(name("labels")).setDataType(TensorProto.DataType.STRING.getNumber())
                .addDims(model.labels().size());
        for (Object label : model.labels().labels()) {
            labels.addStringData(ByteString.copyFrom(String.valueOf(label), StandardCharsets.UTF_8));
        }
        initializers.add(labels.build());
        nodes.add(NodeProto.newBuilder().setOpType("Gather").addInput(labels.getName()).addInput(index).addOutput("label")
                .addAttribute(intAttribute("axis", 0)).build());
    }

    private String node(String op, List<String> inputs, AttributeProto... attributes) {
        String output = name(op);
        nodes.add(NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build());
        return output;
    }

    private String name(String base) {
        return base + "_" + names++;
    }

    /** A float64 initializer of the given shape, little-endian raw data as ONNX stores it. */
    private String doubles(String base, double[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name(base)).setDataType(TensorProto.DataType.DOUBLE.getNumber())
                .setRawData(ByteString.copyFrom(raw.array()));
        for (int dim : dims) {
            tensor.addDims(dim);
        }
        initializers.add(tensor.build());
        return tensor.getName();
    }

    private String scalar(String base, double value) {
        return doubles(base, new double[]{value});
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static OnnxMl.TensorShapeProto.Dimension batch() {
        return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N").build();
    }

    private static OnnxMl.ValueInfoProto tensorInfo(String name, TensorProto.DataType type, int columns) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
                        .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(batch())
                                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns)))))
                .build();
    }
}
