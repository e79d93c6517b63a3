package dev.backprop.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A feed-forward network of dense layers built from a {@link NetworkSpec}: mutable weights plus the
 * buffers of one training run.
 *
 * <p>Parameters are exposed as "slots" in a fixed order — layer 1 weights, layer 1 biases, layer 2
 * weights, … — which optimizers, regularization, clipping and snapshots all share.
 *
 * <p>A {@link Precision#FLOAT32} network computes its matrix products in float32 (see {@link Precision});
 * whoever changes parameters through {@link #parameterSlot(int)} calls {@link #parametersChanged()}.
 *
 * <p>Training methods are not thread-safe; {@link #predict(double[], int)} takes its own buffers from
 * a pool and may be called concurrently once training has finished.
 */
public final class Network {

    /** Rows per chunk in inference, bounding the buffers one call allocates. */
    private static final int INFERENCE_CHUNK_ROWS = 1024;

    private final NetworkSpec spec;
    private final DenseLayer[] layers;
    private final InferenceBufferPool inferenceBuffers = new InferenceBufferPool();
    /** A float32 network's training batch narrowed to float32, grown as needed. */
    private float[] floatBatchFeatures = new float[0];

    private Network(NetworkSpec spec) {
        this.spec = spec;
        List<DenseLayer> built = new ArrayList<>();
        int fanIn = spec.inputSize();
        for (LayerSpec hidden : spec.hiddenLayers()) {
            built.add(new DenseLayer(fanIn, hidden.units(), hidden.activation(), hidden.dropout(), spec.precision()));
            fanIn = hidden.units();
        }
        built.add(new DenseLayer(fanIn, spec.outputUnits(), spec.outputActivation(), 0, spec.precision()));
        this.layers = built.toArray(DenseLayer[]::new);
    }

    /**
     * A network with weights (and biases) drawn by each layer's initializer from {@code random}: biases
     * are zero except under {@code torch_default}, whose biases are drawn only after every weight so that
     * the other schemes draw the same weights from the same seed as before it existed.
     */
    public static Network initialize(NetworkSpec spec, SplittableRandom random) {
        Network network = new Network(spec);
        for (DenseLayer layer : network.layers) {
            spec.initializerFor(layer.activation).initialize(layer.weights, layer.inputSize, layer.units, random);
        }
        for (DenseLayer layer : network.layers) {
            spec.initializerFor(layer.activation).initializeBias(layer.bias, layer.inputSize, random);
        }
        network.parametersChanged();
        return network;
    }

    /**
     * A network holding the given parameters, in slot order (see the class comment).
     *
     * @throws IllegalArgumentException when the slot count or a slot's length does not fit the spec
     */
    public static Network withParameters(NetworkSpec spec, double[][] parameters) {
        Network network = new Network(spec);
        network.restore(parameters);
        return network;
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** Number of parameter slots: two per layer. */
    public int slotCount() {
        return layers.length * 2;
    }

    /**
     * Brings a float32 network's float32 copies of the parameters up to date after they were changed
     * through {@link #parameterSlot(int)} (an optimizer step); nothing to do in float64.
     */
    void parametersChanged() {
        for (DenseLayer layer : layers) {
            layer.syncFloatParameters();
        }
    }

    /** {@link #parametersChanged()} for elements {@code [from, to)} of one slot. */
    void parametersChanged(int slot, int from, int to) {
        layers[slot / 2].syncFloatParameters(isWeightSlot(slot), from, to);
    }

    /** The live parameter array of a slot; see {@link #parametersChanged()}. */
    double[] parameterSlot(int slot) {
        DenseLayer layer = layers[slot / 2];
        return slot % 2 == 0 ? layer.weights : layer.bias;
    }

    /** The gradient array of a slot, as left by the last backward pass. */
    double[] gradientSlot(int slot) {
        DenseLayer layer = layers[slot / 2];
        return slot % 2 == 0 ? layer.weightGradient : layer.biasGradient;
    }

    /** Whether a slot holds weights (regularized) rather than biases (not regularized). */
    static boolean isWeightSlot(int slot) {
        return slot % 2 == 0;
    }

    /** The length of every slot, in order. */
    int[] slotLengths() {
        int[] lengths = new int[slotCount()];
        for (int s = 0; s < lengths.length; s++) {
            lengths[s] = parameterSlot(s).length;
        }
        return lengths;
    }

    /** A deep copy of every parameter, in slot order. */
    public double[][] parameters() {
        double[][] copy = new double[slotCount()][];
        for (int s = 0; s < copy.length; s++) {
            copy[s] = parameterSlot(s).clone();
        }
        return copy;
    }

    /** Overwrites every parameter from a copy made by {@link #parameters()}. */
    public void restore(double[][] parameters) {
        if (parameters.length != slotCount()) {
            throw new IllegalArgumentException("expected " + slotCount() + " parameter arrays, got " + parameters.length);
        }
        for (int s = 0; s < parameters.length; s++) {
            double[] target = parameterSlot(s);
            if (parameters[s].length != target.length) {
                throw new IllegalArgumentException("parameter array " + s + " has " + parameters[s].length
                        + " values, expected " + target.length);
            }
            System.arraycopy(parameters[s], 0, target, 0, target.length);
        }
        parametersChanged();
    }

    /**
     * The forward pass in inference mode (no dropout).
     *
     * @param features {@code rows × inputSize}, row-major
     * @return the output activations, {@code rows × outputUnits}
     */
    public double[] predict(double[] features, int rows) {
        return predict(rows, (buffers, start, chunk, threads) -> buffers.forward(features, start, chunk, threads));
    }

    /**
     * The forward pass of a float32 network on float32 features, which its first product reads as they
     * are (no conversion through float64).
     *
     * @param features {@code rows × inputSize}, row-major
     * @return the output activations, {@code rows × outputUnits}
     * @throws IllegalStateException for a float64 network
     */
    public double[] predict(float[] features, int rows) {
        if (spec.precision() != Precision.FLOAT32) {
            throw new IllegalStateException("float32 features need a float32 network; this one is " + spec.precision().wireName());
        }
        return predict(rows, (buffers, start, chunk, threads) -> buffers.forwardInFloat32(features, start, chunk, threads));
    }

    /**
     * Loads rows {@code [start, start + chunk)} of some features into the buffers and runs the forward pass, each
     * product split across at most {@code threads}.
     */
    @FunctionalInterface
    private interface ChunkForward {
        void run(InferenceBuffers buffers, int start, int chunk, int threads);
    }

    private double[] predict(int rows, ChunkForward forward) {
        double[] result = new double[rows * spec.outputUnits()];
        for (int start = 0; start < rows; start += INFERENCE_CHUNK_ROWS) {
            int chunk = Math.min(INFERENCE_CHUNK_ROWS, rows - start);
            int[] blocks = rowBlocks(chunk);
            if (blocks == null) {
                predictRows(forward, start, chunk, ParallelBlocks.threads(), result);
                continue;
            }
            int first = start;
            ParallelBlocks.run((block, from, to) -> predictRows(forward, first + from, to - from, 1, result), blocks);
        }
        return result;
    }

    private void predictRows(ChunkForward forward, int start, int rows, int threads, double[] result) {
        int sizeClass = InferenceBufferPool.sizeClass(rows);
        InferenceBuffers buffers = inferenceBuffers.take(sizeClass);
        forward.run(buffers, start, rows, threads);
        System.arraycopy(buffers.outputA, 0, result, start * spec.outputUnits(), rows * spec.outputUnits());
        inferenceBuffers.give(sizeClass, buffers);
    }

    /**
     * Where to cut a chunk of {@code rows} into blocks that each run the whole forward pass on one thread, or
     * {@code null} to run it layer by layer with each product split: blocks only when every layer's product would be
     * cut into blocks of rows at exactly these rows ({@link Gemm#rowBlockStarts}), so each block's products are the
     * very calls the split would make and the predictions are the same to the last bit, float32 included. What it
     * saves is one hand-over to the pool per layer and the element-wise passes between products, which otherwise run
     * on one thread while the other core waits (a 1,000-row batch of the T4 network: one hand-over instead of three).
     */
    private int[] rowBlocks(int rows) {
        int[] blocks = null;
        for (DenseLayer layer : layers) {
            int[] starts = Gemm.rowBlockStarts(rows, layer.units, layer.inputSize, spec.precision());
            if (starts == null || (blocks != null && !Arrays.equals(blocks, starts))) {
                return null;
            }
            blocks = starts;
        }
        return blocks;
    }

    /**
     * Inference buffers kept between predictions, by size class (capacities 1, 2, 4, … 1024 rows): a
     * 1,000-row prediction of the T4 network needs 6 MB of them, and allocating that per call costs
     * more than the prediction once the heap is busy. At most {@link #MAX_IDLE} idle buffers are kept
     * per class, so the pool's memory is bounded by the peak number of concurrent predictions.
     */
    private final class InferenceBufferPool {
        private static final int MAX_IDLE = 2 * Runtime.getRuntime().availableProcessors();
        private final ConcurrentLinkedDeque<InferenceBuffers>[] idle;
        private final AtomicInteger[] idleCounts;

        @SuppressWarnings("unchecked")
        InferenceBufferPool() {
            int classes = sizeClass(INFERENCE_CHUNK_ROWS) + 1;
            idle = new ConcurrentLinkedDeque[classes];
            idleCounts = new AtomicInteger[classes];
            for (int c = 0; c < classes; c++) {
                idle[c] = new ConcurrentLinkedDeque<>();
                idleCounts[c] = new AtomicInteger();
            }
        }

        /** The size class of a chunk of {@code rows} (1 ≤ rows ≤ 1024): ⌈log₂ rows⌉. */
        static int sizeClass(int rows) {
            return 32 - Integer.numberOfLeadingZeros(rows - 1);
        }

        InferenceBuffers take(int sizeClass) {
            InferenceBuffers buffers = idle[sizeClass].pollFirst();
            if (buffers == null) {
                return new InferenceBuffers(1 << sizeClass);
            }
            idleCounts[sizeClass].decrementAndGet();
            return buffers;
        }

        void give(int sizeClass, InferenceBuffers buffers) {
            if (idleCounts[sizeClass].incrementAndGet() <= MAX_IDLE) {
                idle[sizeClass].offerFirst(buffers);
            } else {
                idleCounts[sizeClass].decrementAndGet();
            }
        }
    }

    /**
     * The mean loss of {@code data} in inference mode, plus the L1/L2 penalty; also returns the
     * predictions so that callers can compute metrics without a second pass.
     */
    Evaluation evaluate(LabeledData data, Loss loss, double l1, double l2) {
        return new Evaluator(data).evaluate(loss, l1, l2);
    }

    /**
     * Evaluates this network on one data set again and again (the validation set, every epoch)
     * without allocating: its buffers and prediction array are reused, so the returned
     * predictions are overwritten by the next call.
     */
    final class Evaluator {
        private final LabeledData data;
        private final InferenceBuffers buffers;
        private final double[] predictions;
        private final double[] targetChunk;

        Evaluator(LabeledData data) {
            this.data = data;
            int outputs = spec.outputUnits();
            int chunk = Math.min(Math.max(data.rows(), 1), INFERENCE_CHUNK_ROWS);
            this.buffers = new InferenceBuffers(chunk);
            this.predictions = new double[data.rows() * outputs];
            this.targetChunk = new double[chunk * outputs];
        }

        Evaluation evaluate(Loss loss, double l1, double l2) {
            int outputs = spec.outputUnits();
            double weightedLoss = 0;
            int perBlock = data.rowsPerBlock();
            for (int start = 0, chunk; start < data.rows(); start += chunk) {
                // a chunk within one block: with rows per block a multiple of the chunk, the chunks of one array
                int inBlock = start % perBlock;
                chunk = Math.min(Math.min(INFERENCE_CHUNK_ROWS, data.rows() - start), perBlock - inBlock);
                buffers.forward(data.featureBlocks()[start / perBlock], inBlock, chunk, ParallelBlocks.threads());
                double[] targets = data.targets();
                if (start != 0) {
                    System.arraycopy(data.targets(), start * outputs, targetChunk, 0, chunk * outputs);
                    targets = targetChunk;
                }
                weightedLoss += chunk * loss.value(buffers.outputZ, buffers.outputA, targets, chunk, outputs);
                System.arraycopy(buffers.outputA, 0, predictions, start * outputs, chunk * outputs);
            }
            double meanLoss = data.rows() == 0 ? Double.NaN : weightedLoss / data.rows();
            return new Evaluation(meanLoss + penalty(l1, l2), predictions);
        }
    }

    /** A mean loss and the predictions it was computed from. */
    record Evaluation(double loss, double[] predictions) {
    }

    /**
     * One training step's forward and backward pass on a batch: fills every gradient slot with
     * {@code ∂(loss + penalty)/∂θ} and returns the loss plus penalty. Dropout masks are drawn from
     * {@code random}; pass {@code null} only for a network without dropout.
     *
     * <p>If the loss is not finite, gradients are not computed and the value is returned as it is.
     *
     * @param rowWeights each row's weight in the loss ({@link Loss#value(double[], double[], double[], int, int, double[])}),
     *                   or null for all 1
     */
    double lossAndGradients(double[] features, double[] targets, int rows, Loss loss, double l1, double l2,
                            double[] rowWeights, SplittableRandom random) {
        float[] floatFeatures = null;
        if (spec.precision() == Precision.FLOAT32) {
            int length = rows * spec.inputSize();
            if (floatBatchFeatures.length < length) {
                floatBatchFeatures = new float[length];
            }
            floatFeatures = floatBatchFeatures;
            float[] target = floatFeatures;
            ParallelBlocks.forBlocks(length, (block, from, to) -> Precision.narrow(features, target, from, to));
        }
        double[] input = features;
        float[] floatInput = floatFeatures;
        for (DenseLayer layer : layers) {
            layer.ensureCapacity(rows);
            layer.forwardTraining(input, floatInput, rows, random);
            input = layer.output;
            floatInput = layer.floatOutput;
        }
        DenseLayer last = layers[layers.length - 1];
        double value = loss.value(last.z, last.activations, targets, rows, last.units, rowWeights) + penalty(l1, l2);
        if (!Double.isFinite(value)) {
            return value;
        }
        loss.gradientWrtPreActivation(last.z, last.activations, targets, rows, last.units, last.activation, last.gradZ);
        if (rowWeights != null) {
            Loss.weighRowsInPlace(last.gradZ, rows, last.units, rowWeights);
        }
        for (int l = layers.length - 1; l >= 0; l--) {
            DenseLayer layer = layers[l];
            double[] layerInput = l == 0 ? features : layers[l - 1].output;
            float[] floatLayerInput = l == 0 ? floatFeatures : layers[l - 1].floatOutput;
            double[] gradInput = l == 0 ? null : layers[l - 1].gradZ;
            float[] floatGradInput = l == 0 ? null : layers[l - 1].floatGradZ;
            layer.backward(layerInput, floatLayerInput, rows, gradInput, floatGradInput);
            if (l > 0) {
                layers[l - 1].gradientThroughActivation(rows);
            }
        }
        addPenaltyGradients(l1, l2);
        return value;
    }

    /** The training outputs of the last {@link #lossAndGradients} call ({@code rows × outputUnits}). */
    double[] lastTrainingOutput() {
        return layers[layers.length - 1].activations;
    }

    /** {@code l1·Σ|w| + l2·Σw²} over the weights of every layer (biases are not penalized). */
    double penalty(double l1, double l2) {
        if (l1 == 0 && l2 == 0) {
            return 0;
        }
        double sum = 0;
        for (DenseLayer layer : layers) {
            for (double w : layer.weights) {
                sum += l1 * Math.abs(w) + l2 * w * w;
            }
        }
        return sum;
    }

    private void addPenaltyGradients(double l1, double l2) {
        if (l1 == 0 && l2 == 0) {
            return;
        }
        for (DenseLayer layer : layers) {
            double[] w = layer.weights;
            double[] g = layer.weightGradient;
            for (int i = 0; i < w.length; i++) {
                g[i] += l1 * Math.signum(w[i]) + 2 * l2 * w[i];
            }
        }
    }

    /** Per-call inference buffers, so that concurrent predictions never share state. */
    private final class InferenceBuffers {
        private final double[][] z;
        private final double[][] a;
        /** Float32 networks only: each layer's float32 input (the chunk's features, then activations) and z. */
        private final float[][] floatInput;
        private final float[][] floatZ;
        double[] outputZ;
        double[] outputA;

        InferenceBuffers(int capacity) {
            z = new double[layers.length][];
            a = new double[layers.length][];
            int last = layers.length - 1;
            for (int l = 0; l < layers.length; l++) {
                z[l] = new double[capacity * layers[l].units];
                // Hidden activations are computed in place (every hidden activation is elementwise, and inference
                // never needs z again): one buffer less to stream through the cache per layer. The output layer
                // keeps its z, which the fused losses of evaluate() read.
                boolean inPlace = l < last || layers[l].activation.kind() == Activation.Kind.LINEAR;
                a[l] = inPlace ? z[l] : new double[capacity * layers[l].units];
            }
            if (spec.precision() == Precision.FLOAT32) {
                floatInput = new float[layers.length][];
                floatZ = new float[layers.length][];
                for (int l = 0; l < layers.length; l++) {
                    floatInput[l] = new float[capacity * layers[l].inputSize];
                    floatZ[l] = new float[capacity * layers[l].units];
                }
            } else {
                floatInput = null;
                floatZ = null;
            }
            outputZ = z[layers.length - 1];
            outputA = a[layers.length - 1];
        }

        void forward(double[] features, int startRow, int rows, int threads) {
            if (floatInput != null) {
                forwardInFloat32(features, startRow, rows, threads);
                return;
            }
            // The first product reads the rows where they lie: a copy of a 500-row block of the T4 batch (3 MB) was on
            // the critical path of the worker's half of every T6 batch.
            layers[0].forward(features, startRow, rows, z[0], a[0], threads);
            for (int l = 1; l < layers.length; l++) {
                layers[l].forward(a[l - 1], rows, z[l], a[l], threads);
            }
        }

        private void forwardInFloat32(double[] features, int startRow, int rows, int threads) {
            float[] first = floatInput[0];
            int offset = startRow * spec.inputSize();
            for (int i = 0, length = rows * spec.inputSize(); i < length; i++) {
                first[i] = (float) features[offset + i];
            }
            forwardFloat32Input(first, 0, rows, threads);
        }

        /**
         * The first product reads the rows where they lie, as the float64 pass does: copying them into {@code floatInput[0]}
         * (3 MB of a T6 batch of 1,000 rows) cost 2-9% of a float32 batch's CPU on the Cooperlake kernel (bench/NOTES.md, ninth session).
         */
        void forwardInFloat32(float[] features, int startRow, int rows, int threads) {
            forwardFloat32Input(features, startRow, rows, threads);
        }

        /**
         * The forward pass of the rows {@code [firstRow, firstRow + rows)} of {@code features}, each product split across at
         * most {@code threads}.
         */
        private void forwardFloat32Input(float[] features, int firstRow, int rows, int threads) {
            for (int l = 0; l < layers.length; l++) {
                float[] input = l == 0 ? features : floatInput[l];
                int inputRow = l == 0 ? firstRow : 0;
                if (l + 1 < layers.length && layers[l].activation.isExactInFloat32()) {
                    layers[l].forwardInFloat32(input, inputRow, rows, floatZ[l], floatInput[l + 1], threads);
                    continue;
                }
                layers[l].forward(input, inputRow, rows, floatZ[l], z[l], a[l], threads);
                if (l + 1 < layers.length) {
                    Precision.narrow(a[l], floatInput[l + 1], 0, rows * layers[l].units);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Network" + Arrays.toString(Arrays.stream(layers).map(l -> l.units + ":" + l.activation.wireName()).toArray());
    }
}
