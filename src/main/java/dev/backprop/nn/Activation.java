package dev.backprop.nn;

import java.util.Locale;

/**
 * An element-wise (or, for softmax, row-wise) activation function and its derivative.
 *
 * <p>Matrices are row-major {@code rows × cols} arrays: one row per sample, one column per unit.
 *
 * @param kind  which function
 * @param alpha the slope of {@code leaky_relu} for negative inputs, or the saturation value of
 *              {@code elu}; ignored by the others
 */
public record Activation(Kind kind, double alpha) {

    /** The supported functions, named as in the tutorial and Keras. */
    public enum Kind {
        SIGMOID, TANH, RELU, LEAKY_RELU, ELU, LINEAR, SOFTMAX;

        /** The lowercase name used in requests and model files, e.g. {@code leaky_relu}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Default negative slope of leaky ReLU, as in PyTorch's {@code LeakyReLU}. */
    public static final double DEFAULT_LEAKY_SLOPE = 0.01;
    /** Default alpha of ELU (Clevert et al., 2015). */
    public static final double DEFAULT_ELU_ALPHA = 1.0;

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("activation kind is required");
        }
        if (!Double.isFinite(alpha) || alpha < 0) {
            throw new IllegalArgumentException("activation alpha must be finite and >= 0, was " + alpha);
        }
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH, 0);
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, 0);
    }

    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    public static Activation linear() {
        return new Activation(Kind.LINEAR, 0);
    }

    public static Activation softmax() {
        return new Activation(Kind.SOFTMAX, 0);
    }

    /**
     * Parses a wire name ({@code relu}, {@code leaky_relu}, …) with the default parameter.
     *
     * @throws IllegalArgumentException naming the known activations when the name is unknown
     */
    public static Activation named(String name) {
        if (name != null) {
            for (Kind kind : Kind.values()) {
                if (kind.wireName().equals(name)) {
                    return switch (kind) {
                        case LEAKY_RELU -> leakyRelu(DEFAULT_LEAKY_SLOPE);
                        case ELU -> elu(DEFAULT_ELU_ALPHA);
                        default -> new Activation(kind, 0);
                    };
                }
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "'; expected one of sigmoid, tanh, relu, leaky_relu, elu, linear, softmax");
    }

    /** The wire name of this activation's kind. */
    public String wireName() {
        return kind.wireName();
    }

    /** True for the ReLU family, whose layers default to He initialization. */
    public boolean isReluFamily() {
        return kind == Kind.RELU || kind == Kind.LEAKY_RELU || kind == Kind.ELU;
    }

    /**
     * Whether {@link #forward(float[], float[], int)} gives exactly what widening to float64, {@link #forward(double[],
     * double[], int, int)} and narrowing back give: relu ({@code max(z, 0)} is one of its operands in either precision)
     * and linear. A float32 network's hidden layers of these kinds stay in float32 between products at inference.
     */
    boolean isExactInFloat32() {
        return kind == Kind.RELU || kind == Kind.LINEAR;
    }

    /**
     * {@code a = f(z)} on the first {@code size} float32 values, for the activations {@link #isExactInFloat32()}.
     *
     * @throws IllegalStateException for any other activation
     */
    void forward(float[] z, float[] a, int size) {
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < size; i++) {
                    a[i] = Math.max(z[i], 0.0f);
                }
            }
            case LINEAR -> System.arraycopy(z, 0, a, 0, size);
            default -> throw new IllegalStateException(kind.wireName() + " is not computed in float32");
        }
    }

    /**
     * {@code a = f(z)} for the first {@code rows} rows of {@code z}; softmax is taken per row, shifted
     * by the row maximum so that {@code exp} cannot overflow.
     */
    public void forward(double[] z, double[] a, int rows, int cols) {
        int size = rows * cols;
        switch (kind) {
            case SIGMOID -> {
                for (int i = 0; i < size; i++) {
                    a[i] = sigmoid(z[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < size; i++) {
                    a[i] = Math.tanh(z[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < size; i++) {
                    a[i] = Math.max(z[i], 0.0);  // not z > 0 ? z : 0, which mispredicts (see backward)
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < size; i++) {
                    a[i] = z[i] > 0 ? z[i] : alpha * z[i];
                }
            }
            case ELU -> {
                for (int i = 0; i < size; i++) {
                    a[i] = z[i] > 0 ? z[i] : alpha * Math.expm1(z[i]);
                }
            }
            case LINEAR -> System.arraycopy(z, 0, a, 0, size);
            case SOFTMAX -> softmaxRows(z, a, rows, cols);
        }
    }

    /**
     * Chain rule through the activation: {@code dL/dz = f'(z) ∘ dL/da}. For softmax, the
     * Jacobian-vector product {@code dz_i = a_i (da_i − Σ_j a_j da_j)} per row.
     *
     * @param z     the pre-activations of the forward pass
     * @param a     the activations of the forward pass
     * @param gradA {@code dL/da}
     * @param gradZ receives {@code dL/dz}; may be the same array as {@code gradA}
     */
    public void backward(double[] z, double[] a, double[] gradA, double[] gradZ, int rows, int cols) {
        int size = rows * cols;
        switch (kind) {
            case SIGMOID -> {
                for (int i = 0; i < size; i++) {
                    gradZ[i] = gradA[i] * a[i] * (1 - a[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < size; i++) {
                    gradZ[i] = gradA[i] * (1 - a[i] * a[i]);
                }
            }
            case RELU -> {
                // Branch-free on purpose: pre-activations are positive about half the time at random, and a
                // mispredicted branch per element cost as much as the layer's matrix products (JFR, T4
                // network). a = max(z, 0) is +0.0 or positive, so its bit pattern is zero exactly when
                // relu'(z) = 0; (bits | -bits) >> 63 turns that into an all-zeros or all-ones mask.
                for (int i = 0; i < size; i++) {
                    long bits = Double.doubleToRawLongBits(a[i]);
                    long keep = (bits | -bits) >> 63;
                    gradZ[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(gradA[i]) & keep);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < size; i++) {
                    gradZ[i] = z[i] > 0 ? gradA[i] : alpha * gradA[i];
                }
            }
            case ELU -> {
                for (int i = 0; i < size; i++) {
                    // for z <= 0, f'(z) = alpha·e^z = f(z) + alpha
                    gradZ[i] = z[i] > 0 ? gradA[i] : gradA[i] * (a[i] + alpha);
                }
            }
            case LINEAR -> {
                if (gradZ != gradA) {
                    System.arraycopy(gradA, 0, gradZ, 0, size);
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    int offset = r * cols;
                    double dot = 0;
                    for (int c = 0; c < cols; c++) {
                        dot += a[offset + c] * gradA[offset + c];
                    }
                    for (int c = 0; c < cols; c++) {
                        gradZ[offset + c] = a[offset + c] * (gradA[offset + c] - dot);
                    }
                }
            }
        }
    }

    /** The logistic function, computed without overflow for large negative inputs. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    private static void softmaxRows(double[] z, double[] a, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int offset = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[offset + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(z[offset + c] - max);
                a[offset + c] = e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                a[offset + c] /= sum;
            }
        }
    }
}
