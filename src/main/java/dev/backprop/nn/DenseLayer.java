package dev.backprop.nn;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code a = f(x·W + b)} with optional inverted dropout, plus the buffers one
 * training run needs for its forward and backward passes (grown once, reused by every batch).
 *
 * <p>Shapes: {@code x} is {@code rows × inputSize}, {@code W} is {@code inputSize × units}, {@code b}
 * is {@code units}, {@code z} and {@code a} are {@code rows × units}; all row-major.
 *
 * <p>A {@link Precision#FLOAT32} layer keeps float32 copies of its weights and biases
 * ({@link #syncFloatParameters()} after every change) and computes its three products —
 * {@code x·W}, {@code xᵀ·dZ} and {@code dZ·Wᵀ} — in float32 on float32 inputs; everything between
 * the products stays float64.
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
    /** Float32 copies of the parameters and the weight gradient's float32 product; null in float64. */
    final float[] floatWeights;
    private final float[] floatBias;
    private final float[] floatWeightGradient;

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
    /** Float32 buffers (float32 layers only): z as the product wrote it, {@link #output} and {@link #gradZ} narrowed. */
    private float[] floatZ;
    float[] floatOutput;
    float[] floatGradZ;

    DenseLayer(int inputSize, int units, Activation activation, double dropout, Precision precision) {
        this.inputSize = inputSize;
        this.units = units;
        this.activation = activation;
        this.dropout = dropout;
        this.weights = new double[inputSize * units];
        this.bias = new double[units];
        this.weightGradient = new double[weights.length];
        this.biasGradient = new double[units];
        boolean float32 = precision == Precision.FLOAT32;
        this.floatWeights = float32 ? new float[weights.length] : null;
        this.floatBias = float32 ? new float[units] : null;
        this.floatWeightGradient = float32 ? new float[weights.length] : null;
    }

    boolean isFloat32() {
        return floatWeights != null;
    }

    /** Copies the float64 parameters into their float32 copies; a float64 layer has none. */
    void syncFloatParameters() {
        if (isFloat32()) {
            ParallelBlocks.forBlocks(weights.length, (block, from, to) -> Precision.narrow(weights, floatWeights, from, to));
            Precision.narrow(bias, floatBias, 0, bias.length);
        }
    }

    /** {@link #syncFloatParameters()} for elements {@code [from, to)} of the weights or of the biases. */
    void syncFloatParameters(boolean weightSlot, int from, int to) {
        if (isFloat32()) {
            if (weightSlot) {
                Precision.narrow(weights, floatWeights, from, to);
            } else {
                Precision.narrow(bias, floatBias, from, to);
            }
        }
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
        if (isFloat32()) {
            floatZ = new float[rows * units];
            floatOutput = new float[rows * units];
            floatGradZ = new float[rows * units];
        }
    }

    /**
     * {@code z = x·W + b} then {@code a = f(z)} into the given buffers.
     */
    void forward(double[] input, int rows, double[] zOut, double[] aOut) {
        forward(input, rows, zOut, aOut, ParallelBlocks.threads());
    }

    /** {@link #forward(double[], int, double[], double[])} with its product split across at most {@code threads}. */
    void forward(double[] input, int rows, double[] zOut, double[] aOut, int threads) {
        forward(input, 0, rows, zOut, aOut, threads);
    }

    /** {@link #forward(double[], int, double[], double[], int)} on the rows of {@code input} from row {@code firstRow}. */
    void forward(double[] input, int firstRow, int rows, double[] zOut, double[] aOut, int threads) {
        // Seed z with the bias row, then let GEMM accumulate x·W on top of it (beta = 1).
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bias, 0, zOut, r * units, units);
        }
        Gemm.multiply(false, false, rows, units, inputSize, 1.0, input, firstRow * inputSize, inputSize, weights, units, 1.0, zOut,
                units, threads);
        activation.forward(zOut, aOut, rows, units);
    }

    /**
     * The float32 forward pass: {@code z = x·W + b} in float32 into {@code floatZ}, widened into
     * {@code zOut}, then {@code a = f(z)} in float64.
     */
    void forward(float[] input, int rows, float[] floatZOut, double[] zOut, double[] aOut) {
        forward(input, rows, floatZOut, zOut, aOut, ParallelBlocks.threads());
    }

    /** {@link #forward(float[], int, float[], double[], double[])} with its product split across at most {@code threads}. */
    void forward(float[] input, int rows, float[] floatZOut, double[] zOut, double[] aOut, int threads) {
        forward(input, 0, rows, floatZOut, zOut, aOut, threads);
    }

    /** {@link #forward(float[], int, float[], double[], double[], int)} on the rows of {@code input} from row {@code firstRow}. */
    void forward(float[] input, int firstRow, int rows, float[] floatZOut, double[] zOut, double[] aOut, int threads) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(floatBias, 0, floatZOut, r * units, units);
        }
        Gemm.multiply(false, false, rows, units, inputSize, 1.0f, input, firstRow * inputSize, inputSize, floatWeights, units, 1.0f,
                floatZOut, units, threads);
        Precision.widen(floatZOut, zOut, 0, rows * units);
        activation.forward(zOut, aOut, rows, units);
    }

    /**
     * The float32 inference pass of a hidden layer whose activation {@link Activation#isExactInFloat32() is exact in
     * float32}: {@code z = x·W + b} and {@code a = f(z)} both in float32, {@code a} written where the next layer reads
     * it. Bit for bit what {@link #forward(float[], int, float[], double[], double[])} and a narrowing give, without
     * the two conversions (on the T4 network's 1,000-row batches they were a fifth of the float32 forward pass). Its
     * product is split across at most {@code threads}.
     */
    void forwardInFloat32(float[] input, int rows, float[] floatZOut, float[] aOut, int threads) {
        forwardInFloat32(input, 0, rows, floatZOut, aOut, threads);
    }

    /** {@link #forwardInFloat32(float[], int, float[], float[], int)} on the rows of {@code input} from row {@code firstRow}. */
    void forwardInFloat32(float[] input, int firstRow, int rows, float[] floatZOut, float[] aOut, int threads) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(floatBias, 0, floatZOut, r * units, units);
        }
        Gemm.multiply(false, false, rows, units, inputSize, 1.0f, input, firstRow * inputSize, inputSize, floatWeights, units, 1.0f,
                floatZOut, units, threads);
        activation.forward(floatZOut, aOut, rows * units);
    }

    /**
     * The training forward pass into the layer's own buffers, with dropout drawn from {@code random}.
     * A float32 layer reads {@code floatInput} (and leaves its output narrowed in {@link #floatOutput}
     * for the next layer); a float64 layer reads {@code input}.
     */
    void forwardTraining(double[] input, float[] floatInput, int rows, SplittableRandom random) {
        if (isFloat32()) {
            forward(floatInput, rows, floatZ, z, activations);
        } else {
            forward(input, rows, z, activations);
        }
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
        if (isFloat32()) {
            Precision.narrow(output, floatOutput, 0, rows * units);
        }
    }

    /**
     * Given {@code gradZ}, computes {@code dW = xᵀ·dZ}, {@code db = Σ_rows dZ} and, when
     * {@code gradInput} is not null, {@code dX = dZ·Wᵀ}. A float32 layer computes both products in
     * float32 from {@code floatInput}, using {@code floatGradInput} (the previous layer's
     * {@link #floatGradZ}) as the scratch for {@code dX} before widening it into {@code gradInput}.
     */
    void backward(double[] input, float[] floatInput, int rows, double[] gradInput, float[] floatGradInput) {
        if (isFloat32()) {
            Precision.narrow(gradZ, floatGradZ, 0, rows * units);
            Gemm.multiply(true, false, inputSize, units, rows, 1.0f, floatInput, inputSize, floatGradZ, units, 0.0f,
                    floatWeightGradient, units);
            ParallelBlocks.forBlocks(weightGradient.length, (block, from, to) -> Precision.widen(floatWeightGradient, weightGradient, from, to));
        } else {
            Gemm.multiply(true, false, inputSize, units, rows, 1.0, input, inputSize, gradZ, units, 0.0, weightGradient, units);
        }
        java.util.Arrays.fill(biasGradient, 0);
        for (int r = 0; r < rows; r++) {
            int offset = r * units;
            for (int c = 0; c < units; c++) {
                biasGradient[c] += gradZ[offset + c];
            }
        }
        if (gradInput == null) {
            return;
        }
        if (isFloat32()) {
            Gemm.multiply(false, true, rows, inputSize, units, 1.0f, floatGradZ, units, floatWeights, units, 0.0f,
                    floatGradInput, inputSize);
            Precision.widen(floatGradInput, gradInput, 0, rows * inputSize);
        } else {
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
