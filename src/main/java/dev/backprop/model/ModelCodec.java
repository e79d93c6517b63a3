package dev.backprop.model;

import dev.backprop.data.ClassLabels;
import dev.backprop.data.FeaturePipeline;
import dev.backprop.nn.Activation;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.platform.PackedArrays;
import java.util.ArrayList;
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
                spec.initializer() == null ? null : spec.initializer().kind().wireName(), spec.parameterCount(),
                spec.precision().wireName());
        List<String> parameters = new ArrayList<>();
        for (double[] slot : model.network().parameters()) {
            parameters.add(PackedArrays.encodeDoubles(slot));
        }
        List<ModelDocument.PipelineStep> pipeline = new ArrayList<>();
        for (FeaturePipeline.ColumnStep step : model.pipeline().steps()) {
            if (step instanceof FeaturePipeline.NumericStep numeric) {
                pipeline.add(new ModelDocument.PipelineStep(numeric.name(), "numeric", numeric.scaling(), numeric.center(),
                        numeric.scale(), numeric.fill(), null, null, null));
            } else {
                FeaturePipeline.CategoricalStep categorical = (FeaturePipeline.CategoricalStep) step;
                pipeline.add(new ModelDocument.PipelineStep(categorical.name(), "categorical", null, null, null, null,
                        categorical.categories(), categorical.fill(), categorical.unknown()));
            }
        }
        return new ModelDocument(ModelDocument.CURRENT_FORMAT, model.id(), model.jobId(), model.createdAt(),
                model.task().wireName(), new ModelDocument.InputSchema(model.featureNames(), model.targetColumn()), null, pipeline,
                model.labels() == null ? null : model.labels().labels(), architecture, parameters, model.metrics(),
                model.provenance());
    }

    /**
     * Rebuilds a model from its document.
     *
     * @throws IllegalArgumentException for a format this code cannot read
     */
    static TrainedModel fromDocument(ModelDocument document) {
        if (document.formatVersion() < 1 || document.formatVersion() > ModelDocument.CURRENT_FORMAT) {
            throw new IllegalArgumentException("model " + document.id() + " has format " + document.formatVersion()
                    + "; this version reads formats 1 to " + ModelDocument.CURRENT_FORMAT);
        }
        ModelDocument.Architecture architecture = document.network();
        List<LayerSpec> layers = new ArrayList<>();
        for (ModelDocument.Layer layer : architecture.hiddenLayers()) {
            layers.add(new LayerSpec(layer.units(), activation(layer.activation(), layer.alpha()), layer.dropout()));
        }
        NetworkSpec spec = NetworkSpec.of(architecture.inputSize(), layers, architecture.outputUnits(),
                activation(architecture.outputActivation(), architecture.outputAlpha()))
                .withPrecision(architecture.precision() == null ? Precision.FLOAT64 : Precision.named(architecture.precision()));
        double[][] parameters = new double[document.parameters().size()][];
        for (int s = 0; s < parameters.length; s++) {
            parameters[s] = PackedArrays.decodeDoubles(document.parameters().get(s));
        }
        return new TrainedModel(document.id(), document.jobId(), document.createdAt(),
                Task.valueOf(document.task().toUpperCase(Locale.ROOT)), document.inputSchema().features(),
                document.inputSchema().target(), pipeline(document),
                document.labels() == null ? null : ClassLabels.fromStored(document.labels()),
                Network.withParameters(spec, parameters), document.metrics(), document.provenance());
    }

    /** The pipeline of a document; format 1 stored only optional standardization of numeric features. */
    private static FeaturePipeline pipeline(ModelDocument document) {
        List<FeaturePipeline.ColumnStep> steps = new ArrayList<>();
        List<String> features = document.inputSchema().features();
        if (document.formatVersion() == 1) {
            ModelDocument.Preprocessing standardization = document.preprocessing();
            for (int f = 0; f < features.size(); f++) {
                steps.add(standardization == null ? new FeaturePipeline.NumericStep(features.get(f), "none", 0, 1, null)
                        : new FeaturePipeline.NumericStep(features.get(f), "standardize", standardization.mean()[f],
                        standardization.std()[f], null));
            }
            return new FeaturePipeline(steps);
        }
        for (ModelDocument.PipelineStep step : document.pipeline()) {
            steps.add("numeric".equals(step.kind())
                    ? new FeaturePipeline.NumericStep(step.name(), step.scaling(), step.center(), step.scale(), step.fill())
                    : new FeaturePipeline.CategoricalStep(step.name(), step.categories(), step.categoryFill(), step.unknown()));
        }
        return new FeaturePipeline(steps);
    }

    private static Activation activation(String name, double alpha) {
        return new Activation(Activation.named(name).kind(), alpha);
    }
}
