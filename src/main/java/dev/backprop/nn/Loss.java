package dev.backprop.nn;

import java.util.Locale;

/**
 * Loss functions, mean-reduced over the batch.
 *
 * <p>{@code mse}, {@code mae} and {@code binary_crossentropy} average over every element of the
 * {@code rows × cols} output (as Keras does: mean over outputs, then over samples);
 * {@code categorical_crossentropy} sums over the classes of a row and averages over rows.
 *
 * <p>Binary cross-entropy is only paired with a sigmoid output and categorical cross-entropy only with
 * a softmax output ({@link NetworkSpec#requireCompatible(Loss)} enforces it). Both are computed
 * <em>fused</em> with their activation from the pre-activations {@code z}: the loss through the
 * log-sum-exp form, which never takes {@code log(0)}, and the gradient with respect to {@code z} as
 * the famous {@code p − y} (divided by the reduction size).
 */
public enum Loss {
    MSE, MAE, BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY;

    /** The lowercase name used in requests, e.g. {@code binary_crossentropy}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the known losses when the name is unknown
     */
    public static Loss named(String name) {
        for (Loss loss : values()) {
            if (loss.wireName().equals(name)) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name
                + "'; expected one of mse, mae, binary_crossentropy, categorical_crossentropy");
    }

    /** True when the loss is computed from the output layer's pre-activations, fused with its activation. */
    boolean isFused() {
        return this == BINARY_CROSSENTROPY || this == CATEGORICAL_CROSSENTROPY;
    }

    /**
     * The mean loss of a batch.
     *
     * @param z      the output layer's pre-activations, {@code rows × cols}
     * @param output the output layer's activations, {@code rows × cols}
     * @param target the targets, {@code rows × cols}
     */
    public double value(double[] z, double[] output, double[] target, int rows, int cols) {
        return value(z, output, target, rows, cols, null);
    }

    /**
     * The mean loss of a batch whose row {@code r} weighs {@code rowWeights[r]}: {@code Σ_r w_r·ℓ_r} over
     * the same denominator as the unweighted mean, so weights of 1 give {@link #value(double[], double[],
     * double[], int, int)} exactly.
     *
     * @param rowWeights one weight per row, or null for all 1
     */
    public double value(double[] z, double[] output, double[] target, int rows, int cols, double[] rowWeights) {
        int size = rows * cols;
        double sum = 0;
        switch (this) {
            case MSE -> {
                for (int i = 0; i < size; i++) {
                    double d = output[i] - target[i];
                    sum += weightOf(rowWeights, i / cols) * d * d;
                }
                return sum / size;
            }
            case MAE -> {
                for (int i = 0; i < size; i++) {
                    sum += weightOf(rowWeights, i / cols) * Math.abs(output[i] - target[i]);
                }
                return sum / size;
            }
            case BINARY_CROSSENTROPY -> {
                // −[y·log σ(z) + (1−y)·log(1−σ(z))] = max(z,0) − z·y + log(1 + e^−|z|)
                for (int i = 0; i < size; i++) {
                    double zi = z[i];
                    sum += weightOf(rowWeights, i / cols) * (Math.max(zi, 0) - zi * target[i] + Math.log1p(Math.exp(-Math.abs(zi))));
                }
                return sum / size;
            }
            case CATEGORICAL_CROSSENTROPY -> {
                // −Σ_c y_c·log softmax(z)_c = −Σ_c y_c·(z_c − logsumexp(z))
                for (int r = 0; r < rows; r++) {
                    int offset = r * cols;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < cols; c++) {
                        max = Math.max(max, z[offset + c]);
                    }
                    double expSum = 0;
                    for (int c = 0; c < cols; c++) {
                        expSum += Math.exp(z[offset + c] - max);
                    }
                    double logSumExp = max + Math.log(expSum);
                    double rowLoss = 0;
                    for (int c = 0; c < cols; c++) {
                        double y = target[offset + c];
                        if (y != 0) {
                            rowLoss -= y * (z[offset + c] - logSumExp);
                        }
                    }
                    sum += weightOf(rowWeights, r) * rowLoss;
                }
                return sum / rows;
            }
            default -> throw new IllegalStateException("unhandled loss " + this);
        }
    }

    private static double weightOf(double[] rowWeights, int row) {
        return rowWeights == null ? 1 : rowWeights[row];
    }

    /**
     * Scales each row of a gradient {@code dL/dz} by its row's weight: every loss is a sum over rows, so
     * the weighted loss's gradient is the unweighted one row by row times the weight.
     */
    static void weighRowsInPlace(double[] gradZ, int rows, int cols, double[] rowWeights) {
        for (int r = 0; r < rows; r++) {
            double weight = rowWeights[r];
            int offset = r * cols;
            for (int c = 0; c < cols; c++) {
                gradZ[offset + c] *= weight;
            }
        }
    }

    /**
     * Writes {@code dL/dz} of the output layer into {@code gradZ}: {@code (p − y)/n} for the fused
     * losses, otherwise {@code dL/da} pushed back through the activation.
     */
    void gradientWrtPreActivation(double[] z, double[] output, double[] target, int rows, int cols,
                                  Activation activation, double[] gradZ) {
        int size = rows * cols;
        switch (this) {
            case BINARY_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> {
                double scale = 1.0 / (this == BINARY_CROSSENTROPY ? size : rows);
                for (int i = 0; i < size; i++) {
                    gradZ[i] = (output[i] - target[i]) * scale;
                }
            }
            case MSE -> {
                double scale = 2.0 / size;
                for (int i = 0; i < size; i++) {
                    gradZ[i] = (output[i] - target[i]) * scale;
                }
                activation.backward(z, output, gradZ, gradZ, rows, cols);
            }
            case MAE -> {
                double scale = 1.0 / size;
                for (int i = 0; i < size; i++) {
                    gradZ[i] = Math.signum(output[i] - target[i]) * scale;
                }
                activation.backward(z, output, gradZ, gradZ, rows, cols);
            }
        }
    }
}
