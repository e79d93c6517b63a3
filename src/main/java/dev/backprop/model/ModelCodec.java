package dev.backprop.model;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.Standardizer;
import dev.backprop.nn.Activation;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Converts between {@link TrainedModel} and its stored {@link ModelDocument}. */
final class ModelCodec {

    private ModelCodec() {
    }

    static ModelDocument toDocument(TrainedModel model) {
        NetworkSpec spec = model.network().spec();
        List<ModelDocument.Layer> layers = new ArrayList<>();
        for (LayerSpec layer : spec.hiddenLayers()) {
            layers.add(new ModelDocument.Layer(layer.units(), layer.activation().wireName(), layer.activation().alpha(), layer.dropout()));
        }
        ModelDocument.Architecture architecture = new ModelDocument.Architecture(spec.inputSize(), layers, spec.outputUnits(),
                spec.outputActivation().wireName(), spec.outputActivation().alpha(),
                spec.initializer() == null ? null : spec.initializer().kind().wireName(), spec.parameterCount());
        List<String> parameters = new ArrayList<>();
        for (double[] slot : model.network().parameters()) {
            parameters.add(encode(slot));
        }
        Standardizer standardizer = model.standardizer();
        return new ModelDocument(ModelDocument.CURRENT_FORMAT, model.id(), model.jobId(), model.createdAt(),
                model.task().wireName(), new ModelDocument.InputSchema(model.featureNames(), model.targetColumn()),
                standardizer == null ? null : new ModelDocument.Preprocessing("standardize", standardizer.mean(), standardizer.std()),
                model.labels() == null ? null : model.labels().labels(), architecture, parameters, model.metrics());
    }

    /**
     * Rebuilds a model from its document.
     *
     * @throws IllegalArgumentException for a format this code cannot read
     */
    static TrainedModel fromDocument(ModelDocument document) {
        if (document.formatVersion() != 1) {
            throw new IllegalArgumentException("model " + document.id() + " has format " + document.formatVersion()
                    + "; this version reads format 1");
        }
        ModelDocument.Architecture architecture = document.network();
        List<LayerSpec> layers = new ArrayList<>();
        for (ModelDocument.Layer layer : architecture.hiddenLayers()) {
            layers.add(new LayerSpec(layer.units(), activation(layer.activation(), layer.alpha()), layer.dropout()));
        }
        NetworkSpec spec = NetworkSpec.of(architecture.inputSize(), layers, architecture.outputUnits(),
                activation(architecture.outputActivation(), architecture.outputAlpha()));
        double[][] parameters = new double[document.parameters().size()][];
        for (int s = 0; s < parameters.length; s++) {
            parameters[s] = decode(document.parameters().get(s));
        }
        ModelDocument.Preprocessing preprocessing = document.preprocessing();
        return new TrainedModel(document.id(), document.jobId(), document.createdAt(),
                Task.valueOf(document.task().toUpperCase(Locale.ROOT)), document.inputSchema().features(),
                document.inputSchema().target(),
                preprocessing == null ? null : new Standardizer(preprocessing.mean(), preprocessing.std()),
                document.labels() == null ? null : ClassLabels.fromStored(document.labels()),
                Network.withParameters(spec, parameters), document.metrics());
    }

    private static Activation activation(String name, double alpha) {
        return new Activation(Activation.named(name).kind(), alpha);
    }

    static String encode(double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static double[] decode(String base64) {
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[buffer.remaining() / Double.BYTES];
        buffer.asDoubleBuffer().get(values);
        return values;
    }
}
