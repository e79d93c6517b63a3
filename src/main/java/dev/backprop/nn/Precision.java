package dev.backprop.nn;

import java.util.Locale;

/**
 * The arithmetic of a network's matrix products.
 *
 * <p>{@link #FLOAT32} is mixed precision, the other way round from Keras's {@code mixed_float16}: the
 * parameters, the optimizer's state, losses, activations and gradients stay in float64, and only the
 * matrix products — nearly all of the work of a real network — run in float32 ({@code sgemm}) on
 * float32 copies of the weights and of the layer inputs. A product in float32 moves half the bytes
 * and fits twice the numbers in a vector register, so it runs up to twice as fast; its result carries
 * about 7 significant digits instead of 16, which small updates to float64 weights do not lose (the
 * failure of pure float32 training that mixed precision avoids). Predictions of a float32 model are
 * computed the same way, so they match its validation metrics.
 */
public enum Precision {
    FLOAT64, FLOAT32;

    /** The lowercase name used in requests and model files: {@code float64} or {@code float32}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the known precisions when the name is unknown
     */
    public static Precision named(String name) {
        for (Precision precision : values()) {
            if (precision.wireName().equals(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected float64 or float32");
    }

    /** {@code target[i] = (float) source[i]} for {@code i} in {@code [from, to)} (round to nearest). */
    static void narrow(double[] source, float[] target, int from, int to) {
        for (int i = from; i < to; i++) {
            target[i] = (float) source[i];
        }
    }

    /** {@code target[i] = source[i]} for {@code i} in {@code [from, to)} (exact). */
    static void widen(float[] source, double[] target, int from, int to) {
        for (int i = from; i < to; i++) {
            target[i] = source[i];
        }
    }
}
