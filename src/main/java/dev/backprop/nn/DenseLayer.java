package dev.backprop.nn;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code a = f(x·W + b)} with optional inverted dropout, plus the buffers one
 * training run needs for its forward and backward passes (grown once, reused by every batch).
 *
 * <p>Shapes: {@code x} is {@code rows × inputSize}, {@code W} is {@code inputSize × units}, {@code b}
 * is {@code units}, {@code z} and {@code a} are {@code rows × units}; all row-major.
 */
final class DenseLayer {

    final int inputSize;
    final int units;
    final Activation activation;
    final double dropout;
    final double[] weights;
    final double[] bias;
    final double[] weightGradient;
    final double[] biasGradient;

    private int capacity;
    /** Pre-activations of the last training forward pass. */
    double[] z;
    /** Activations before dropout (what the activation's derivative needs). */
    double[] activations;
    /** What the next layer sees: {@link #activations} after dropout, or the same array without dropout. */
    double[] output;
    /** Inverted-dropout multipliers: 0 or 1/(1−rate). */
    private double[] dropoutMask;
    /** dL/dz of the last backward pass (first written as dL/da, then pushed through the activation). */
    double[] gradZ;

    DenseLayer(int inputSize, int units, Activation activation, double dropout) {
        this.inputSize = inputSize;
        this.units = units;
        this.activation = activation;
        this.dropout = dropout;
        this.weights = new double[inputSize * units];
        this.bias = new double[units];
        this.weightGradient = new double[weights.length];
        this.biasGradient = new double[units];
    }

    void ensureCapacity(int rows) {
        if (rows <= capacity) {
            return;
        }
        capacity = rows;
        z = new double[rows * units];
        activations = new double[rows * units];
        output = dropout > 0 ? new double[rows * units] : activations;
        dropoutMask = dropout > 0 ? new double[rows * units] : null;
        gradZ = new double[rows * units];
    }

    /**
     * {@code z = x·W + b} then {@code a = f(z)} into the given buffers.
     */
    void forward(double[] input, int rows, double[] zOut, double[] aOut) {
        // Seed z with the bias row, then let GEMM accumulate x·W on top of it (beta = 1).
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, 0, zOut, r * units, units);
        }
        Gemm.multiply(false, false, rows, units, inputSize, 1.0, input, inputSize, weights, units, 1.0, zOut, units);
        activation.forward(zOut, aOut, rows, units);
    }

    /** The training forward pass into the layer's own buffers, with dropout drawn from {@code random}. */
    void forwardTraining(double[] input, int rows, SplittableRandom random) {
        forward(input, rows, z, activations);
        if (dropout > 0) {
            double keep = 1 - dropout;
            double scale = 1 / keep;
            int size = rows * units;
            for (int i = 0; i < size; i++) {
                double m = random.nextDouble() < keep ? scale : 0;
                dropoutMask[i] = m;
                output[i] = activations[i] * m;
            }
        }
    }

    /**
     * Given {@code gradZ}, computes {@code dW = xᵀ·dZ}, {@code db = Σ_rows dZ} and, when
     * {@code gradInput} is not null, {@code dX = dZ·Wᵀ}.
     */
    void backward(double[] input, int rows, double[] gradInput) {
        Gemm.multiply(true, false, inputSize, units, rows, 1.0, input, inputSize, gradZ, units, 0.0, weightGradient, units);
        java.util.Arrays.fill(biasGradient, 0);
        for (int r = 0; r < rows; r++) {
            int offset = r * units;
            for (int c = 0; c < units; c++) {
                biasGradient[c] += gradZ[offset + c];
            }
        }
        if (gradInput != null) {
            Gemm.multiply(false, true, rows, inputSize, units, 1.0, gradZ, units, weights, units, 0.0, gradInput, inputSize);
        }
    }

    /** Turns {@code gradZ}, holding dL/d(output), into dL/dz: through the dropout mask, then the activation. */
    void gradientThroughActivation(int rows) {
        if (dropout > 0) {
            int size = rows * units;
            for (int i = 0; i < size; i++) {
                gradZ[i] *= dropoutMask[i];
            }
        }
        activation.backward(z, activations, gradZ, gradZ, rows, units);
    }
}
