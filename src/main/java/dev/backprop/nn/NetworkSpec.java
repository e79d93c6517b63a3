package dev.backprop.nn;

import java.util.List;

/**
 * A validated description of a feed-forward network: {@code inputSize} inputs, any number of dense
 * hidden layers, and a dense output layer of {@code outputUnits} with {@code outputActivation}.
 *
 * <p>Construction rejects a bad spec with an {@link IllegalArgumentException} naming the layer and the
 * reason. Whether the output fits a loss is checked by {@link #requireCompatible(Loss)}.
 *
 * @param inputSize        number of input features, at least 1
 * @param hiddenLayers     the hidden layers, input side first; may be empty
 * @param outputUnits      neurons in the output layer, at least 1
 * @param outputActivation the output activation
 * @param initializer      the weight initializer for every layer, or {@code null} for each layer's
 *                         default ({@link Initializer#defaultFor(Activation)})
 * @param precision        the arithmetic of the matrix products; {@code null} means {@link Precision#FLOAT64}
 */
public record NetworkSpec(int inputSize, List<LayerSpec> hiddenLayers, int outputUnits,
                          Activation outputActivation, Initializer initializer, Precision precision) {

    public NetworkSpec {
        if (precision == null) {
            precision = Precision.FLOAT64;
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be >= 1, was " + inputSize);
        }
        hiddenLayers = List.copyOf(hiddenLayers == null ? List.of() : hiddenLayers);
        for (int i = 0; i < hiddenLayers.size(); i++) {
            LayerSpec layer = hiddenLayers.get(i);
            String name = "hidden layer " + (i + 1);
            if (layer.units() < 1) {
                throw new IllegalArgumentException(name + ": units must be >= 1, was " + layer.units());
            }
            if (layer.activation().kind() == Activation.Kind.SOFTMAX) {
                throw new IllegalArgumentException(name + ": softmax is only allowed on the output layer");
            }
            if (!(layer.dropout() >= 0 && layer.dropout() < 1)) {
                throw new IllegalArgumentException(name + ": dropout must be in [0, 1), was " + layer.dropout());
            }
        }
        if (outputUnits < 1) {
            throw new IllegalArgumentException("output layer: units must be >= 1, was " + outputUnits);
        }
        if (outputActivation == null) {
            throw new IllegalArgumentException("output layer: activation is required");
        }
        if (outputActivation.kind() == Activation.Kind.SOFTMAX && outputUnits == 1) {
            throw new IllegalArgumentException(
                    "output layer: softmax on a single unit always outputs 1; use sigmoid for two classes");
        }
    }

    /** A float64 spec. */
    public NetworkSpec(int inputSize, List<LayerSpec> hiddenLayers, int outputUnits, Activation outputActivation,
                       Initializer initializer) {
        this(inputSize, hiddenLayers, outputUnits, outputActivation, initializer, Precision.FLOAT64);
    }

    /** A float64 spec with each layer's default initializer. */
    public static NetworkSpec of(int inputSize, List<LayerSpec> hiddenLayers, int outputUnits, Activation outputActivation) {
        return new NetworkSpec(inputSize, hiddenLayers, outputUnits, outputActivation, null);
    }

    /** This spec computing its matrix products in {@code newPrecision}. */
    public NetworkSpec withPrecision(Precision newPrecision) {
        return new NetworkSpec(inputSize, hiddenLayers, outputUnits, outputActivation, initializer, newPrecision);
    }

    /**
     * Rejects an output layer that cannot be trained with {@code loss}: binary cross-entropy needs a
     * sigmoid output and categorical cross-entropy a softmax output of at least two units.
     */
    public void requireCompatible(Loss loss) {
        Activation.Kind output = outputActivation.kind();
        if (loss == Loss.BINARY_CROSSENTROPY && output != Activation.Kind.SIGMOID) {
            throw new IllegalArgumentException("output layer: binary_crossentropy needs a sigmoid output, was "
                    + outputActivation.wireName()
                    + (output == Activation.Kind.SOFTMAX ? "; use categorical_crossentropy with softmax" : ""));
        }
        if (loss == Loss.CATEGORICAL_CROSSENTROPY && output != Activation.Kind.SOFTMAX) {
            throw new IllegalArgumentException("output layer: categorical_crossentropy needs a softmax output, was "
                    + outputActivation.wireName());
        }
    }

    /** The initializer of a layer with the given activation. */
    Initializer initializerFor(Activation activation) {
        return initializer != null ? initializer : Initializer.defaultFor(activation);
    }

    /** Number of trainable parameters: every weight and bias. */
    public long parameterCount() {
        long count = 0;
        int fanIn = inputSize;
        for (LayerSpec layer : hiddenLayers) {
            count += (long) fanIn * layer.units() + layer.units();
            fanIn = layer.units();
        }
        return count + (long) fanIn * outputUnits + outputUnits;
    }
}
