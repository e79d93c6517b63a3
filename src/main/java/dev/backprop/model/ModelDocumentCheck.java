package dev.backprop.model;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Precision;
import dev.backprop.platform.ApiException.FieldError;
import dev.backprop.platform.PackedArrays;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an uploaded {@link ModelDocument} before it is rebuilt: a known format, a known task and
 * activations, a pipeline step per feature, an input layer as wide as the pipeline's output, classes that
 * fit the output layer, and weights of the lengths the architecture implies. Each fault names its field.
 */
final class ModelDocumentCheck {

    private static final int MAX_ERRORS = 20;

    private final List<FieldError> errors = new ArrayList<>();

    private ModelDocumentCheck() {
    }

    /** The faults of a document; empty when it can be rebuilt. */
    static List<FieldError> faults(ModelDocument document) {
        ModelDocumentCheck check = new ModelDocumentCheck();
        check.document(document);
        return check.errors.size() > MAX_ERRORS ? check.errors.subList(0, MAX_ERRORS) : check.errors;
    }

    private void document(ModelDocument document) {
        if (document.formatVersion() < 1 || document.formatVersion() > ModelDocument.CURRENT_FORMAT) {
            fault("formatVersion", "is " + document.formatVersion() + "; this version reads formats 1 to " + ModelDocument.CURRENT_FORMAT);
            return;
        }
        boolean classification = "classification".equals(document.task());
        if (!classification && !"regression".equals(document.task())) {
            fault("task", "is " + quoted(document.task()) + "; expected classification or regression");
        }
        if (document.inputSchema() == null || document.inputSchema().features() == null || document.inputSchema().features().isEmpty()) {
            fault("inputSchema.features", "must name at least one feature");
            return;
        }
        List<String> features = document.inputSchema().features();
        if (new HashSet<>(features).size() != features.size()) {
            fault("inputSchema.features", "names a feature twice: " + features);
        }
        int width = document.formatVersion() == 1 ? preprocessing(document, features.size()) : pipeline(document.pipeline(), features);
        if (document.network() == null) {
            fault("network", "is required");
            return;
        }
        int[] fanIns = architecture(document.network(), width);
        if (fanIns != null) {
            parameters(document.parameters(), fanIns, document.network());
        }
        labels(document, classification);
    }

    /** Format 1: optional standardization; one input per feature. */
    private int preprocessing(ModelDocument document, int features) {
        ModelDocument.Preprocessing standardization = document.preprocessing();
        if (standardization != null && (standardization.mean() == null || standardization.std() == null
                || standardization.mean().length != features || standardization.std().length != features)) {
            fault("preprocessing", "needs a mean and a std per feature (" + features + ")");
        }
        return features;
    }

    /** Formats 2 and 3: a step per feature, in feature order; the number of inputs they produce. */
    private int pipeline(List<ModelDocument.PipelineStep> steps, List<String> features) {
        if (steps == null || steps.size() != features.size()) {
            fault("pipeline", "needs one step per feature (" + features.size() + "), has " + (steps == null ? 0 : steps.size()));
            return -1;
        }
        int width = 0;
        for (int f = 0; f < steps.size(); f++) {
            ModelDocument.PipelineStep step = steps.get(f);
            String field = "pipeline[" + f + "]";
            if (!features.get(f).equals(step.name())) {
                fault(field + ".name", "is " + quoted(step.name()) + "; feature " + f + " is " + quoted(features.get(f)));
            }
            if ("numeric".equals(step.kind())) {
                width++;
                if (!Set.of("standardize", "minmax", "none").contains(String.valueOf(step.scaling()))) {
                    fault(field + ".scaling", "is " + quoted(step.scaling()) + "; expected standardize, minmax or none");
                }
                if (step.center() == null || !Double.isFinite(step.center())) {
                    fault(field + ".center", "needs a finite number");
                }
                if (step.scale() == null || !(step.scale() > 0) || !Double.isFinite(step.scale())) {
                    fault(field + ".scale", "needs a finite number > 0");
                }
                if (step.fill() != null && !Double.isFinite(step.fill())) {
                    fault(field + ".fill", "needs a finite number or null");
                }
            } else if ("categorical".equals(step.kind())) {
                if (step.categories() == null || step.categories().isEmpty()) {
                    fault(field + ".categories", "needs at least one category");
                } else {
                    width += step.categories().size();
                }
                if (!"ignore".equals(step.unknown()) && !"reject".equals(step.unknown())) {
                    fault(field + ".unknown", "is " + quoted(step.unknown()) + "; expected ignore or reject");
                }
            } else {
                fault(field + ".kind", "is " + quoted(step.kind()) + "; expected numeric or categorical");
            }
        }
        return width;
    }

    /** The fan-in of every dense layer, or null when the architecture is broken. */
    private int[] architecture(ModelDocument.Architecture network, int width) {
        if (width >= 0 && network.inputSize() != width) {
            fault("network.inputSize", "is " + network.inputSize() + "; the pipeline produces " + width + " inputs");
        }
        List<ModelDocument.Layer> hidden = network.hiddenLayers() == null ? List.of() : network.hiddenLayers();
        int[] fanIns = new int[hidden.size() + 1];
        int fanIn = network.inputSize();
        boolean sound = fanIn > 0;
        for (int l = 0; l < hidden.size(); l++) {
            ModelDocument.Layer layer = hidden.get(l);
            String field = "network.hiddenLayers[" + l + "]";
            if (layer.units() < 1) {
                fault(field + ".units", "must be at least 1");
                sound = false;
            }
            activation(field, layer.activation(), layer.alpha());
            fanIns[l] = fanIn;
            fanIn = layer.units();
        }
        fanIns[hidden.size()] = fanIn;
        if (network.outputUnits() < 1) {
            fault("network.outputUnits", "must be at least 1");
            sound = false;
        }
        activation("network.outputActivation", network.outputActivation(), network.outputAlpha());
        if (network.precision() != null) {
            try {
                Precision.named(network.precision());
            } catch (IllegalArgumentException e) {
                fault("network.precision", e.getMessage());
            }
        }
        return sound ? fanIns : null;
    }

    private void activation(String field, String name, double alpha) {
        try {
            new Activation(Activation.named(name).kind(), alpha);
        } catch (IllegalArgumentException e) {
            fault(field.endsWith("Activation") ? field : field + ".activation", e.getMessage());
        }
    }

    /** Layer by layer: weights {@code fanIn × units}, then biases {@code units}. */
    private void parameters(List<String> parameters, int[] fanIns, ModelDocument.Architecture network) {
        int layers = fanIns.length;
        if (parameters == null || parameters.size() != 2 * layers) {
            fault("parameters", "needs " + 2 * layers + " arrays (weights and biases of " + layers + " layers), has "
                    + (parameters == null ? 0 : parameters.size()));
            return;
        }
        for (int l = 0; l < layers; l++) {
            int units = l < layers - 1 ? network.hiddenLayers().get(l).units() : network.outputUnits();
            length(parameters, 2 * l, (long) fanIns[l] * units, "layer " + (l + 1) + " weights (" + fanIns[l] + " × " + units + ")");
            length(parameters, 2 * l + 1, units, "layer " + (l + 1) + " biases");
        }
    }

    private void length(List<String> parameters, int slot, long expected, String what) {
        String field = "parameters[" + slot + "]";
        double[] values;
        try {
            values = PackedArrays.decodeDoubles(parameters.get(slot));
        } catch (RuntimeException e) {
            fault(field, "is not base64 of little-endian float64 values");
            return;
        }
        if (values.length != expected) {
            fault(field, "holds " + values.length + " values; " + what + " are " + expected);
            return;
        }
        for (double value : values) {
            if (!Double.isFinite(value)) {
                fault(field, "holds a value that is not finite");
                return;
            }
        }
    }

    private void labels(ModelDocument document, boolean classification) {
        if (!classification) {
            if (document.labels() != null) {
                fault("labels", "must be absent for regression");
            }
            return;
        }
        int outputs = document.network().outputUnits();
        List<Object> labels = document.labels();
        if (labels == null || labels.size() < 2 || new HashSet<>(labels).size() != labels.size()) {
            fault("labels", "a classifier needs at least two distinct classes");
        } else if (labels.size() != outputs && !(labels.size() == 2 && outputs == 1)) {
            fault("labels", "has " + labels.size() + " classes for " + outputs + " output units");
        }
    }

    private void fault(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    private static String quoted(Object value) {
        return value == null ? "missing" : "'" + value + "'";
    }
}
