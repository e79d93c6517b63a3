package dev.backprop.nn;

/**
 * One dense hidden layer: {@code units} neurons, each a weighted sum plus bias through {@code activation},
 * followed by inverted dropout at rate {@code dropout} while training (none at inference).
 *
 * @param units      neurons in the layer, at least 1
 * @param activation the activation; softmax is not allowed in a hidden layer
 * @param dropout    fraction of units zeroed per training sample, in {@code [0, 1)}
 */
public record LayerSpec(int units, Activation activation, double dropout) {

    public LayerSpec {
        if (activation == null) {
            throw new IllegalArgumentException("activation is required");
        }
    }

    /** A layer without dropout. */
    public static LayerSpec of(int units, Activation activation) {
        return new LayerSpec(units, activation, 0);
    }
}
