package dev.backprop.bench;

import dev.backprop.nn.Activation;
import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Gemm;
import dev.backprop.nn.Initializer;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.ParallelBlocks;
import dev.backprop.nn.Precision;
import dev.backprop.nn.Task;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Backprop's side of T4–T6 of ../shared/bench/TASKS.md, in-process on the engine, on the numbers
 * bench/peers_t4.py wrote ({@code t4_x.f32}: 70,000 × 784 little-endian float32; {@code t4_y.u8}: the
 * classes). Prints one JSON object per task, like the peers. Timings cover the training loop only.
 *
 * <p>Usage: {@code T4Tasks DATA_DIR} runs T4, T6 and T5; {@code T4Tasks DATA_DIR --t4} runs T4 only (the
 * harness runs it once more on the Java BLAS alone), {@code --t5} T5 only, {@code --t6} T6 only on a network trained 2 epochs on 12,800 rows (both for profiling); {@code --float32} runs them on a float32 network
 * ({@link Precision#FLOAT32}); {@code T4Tasks DATA_DIR --csv} writes {@code t4.csv} (columns x0…x783, y;
 * the four decimals of the recipe) for the service's end-to-end run.
 */
public final class T4Tasks {

    static final int ROWS = 70_000;
    static final int TRAIN_ROWS = 60_000;
    static final int FEATURES = 784;
    static final int CLASSES = 10;
    /** Weights of 784-256-128-10 (biases not counted): the "weights" of TASKS.md's GFLOP/s formula. */
    static final long WEIGHTS = 784L * 256 + 256L * 128 + 128L * 10;
    private static final int T6_BATCH_ROWS = 1_000;
    private static final int T6_BATCHES = 100;
    private static final int T6_SINGLE_CALLS = 2_000;
    private static final int T6_REPEATS = 3;

    private T4Tasks() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<String> options = Arrays.asList(args).subList(1, args.length);
        String mode = options.contains("--csv") ? "--csv" : options.contains("--t4") ? "--t4" : options.contains("--t5") ? "--t5"
                : options.contains("--t6") ? "--t6" : "";
        Precision precision = options.contains("--float32") ? Precision.FLOAT32 : Precision.FLOAT64;
        float[] x = readFeatures(dir.resolve("t4_x.f32"));
        byte[] y = Files.readAllBytes(dir.resolve("t4_y.u8"));
        if (mode.equals("--csv")) {
            writeCsv(x, y, dir.resolve("t4.csv"));
            return;
        }
        LabeledData training = labeled(x, y, 0, TRAIN_ROWS);
        LabeledData validation = labeled(x, y, TRAIN_ROWS, ROWS);
        String common = String.format(Locale.ROOT, "\"peer\": \"backprop\", \"precision\": \"%s\", \"threads\": %d, \"blas\": \"%s\"",
                precision.wireName(), ParallelBlocks.threads(), Gemm.describe());

        // The JIT compiles the training path on a slice first, as a long-running service would have.
        Network warm = train(labeled(x, y, 0, 12_800), 128, 2, precision);
        if (mode.equals("--t6")) {  // inference alone, on the warm-up's network: its speed does not depend on the weights
            runT6(warm, training, x, common);
            return;
        }
        if (mode.equals("--t5")) {
            runT5(training, validation, precision, common);
            return;
        }

        long start = System.nanoTime();
        Network model = train(training, 128, 3, precision);
        double seconds = (System.nanoTime() - start) / 1e9;
        double samplesPerSecond = 3.0 * TRAIN_ROWS / seconds;
        System.out.printf(Locale.ROOT, "{\"task\": \"T4\", %s, \"samples_per_s\": %.1f, \"gflops\": %.2f, \"val_accuracy\": %.4f, \"peak_heap_mb\": %d, \"max_heap_mb\": %d}%n",
                common, samplesPerSecond, 6.0 * WEIGHTS * samplesPerSecond / 1e9, accuracy(model, validation),
                peakHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        if (mode.equals("--t4")) {
            return;
        }

        runT6(model, training, x, common);
        runT5(training, validation, precision, common);
    }

    /**
     * T6: 100,000 rows in batches of 1,000 (the best of three passes), then 2,000 single-row calls. A float32 network
     * reads the rows as float32, as the float32 peers do (their {@code X} is float32 and they predict on it as it is).
     */
    private static void runT6(Network model, LabeledData training, float[] x, String common) {
        boolean float32 = model.spec().precision() == Precision.FLOAT32;
        double[] batch = new double[T6_BATCH_ROWS * FEATURES];
        float[] floatBatch = new float[T6_BATCH_ROWS * FEATURES];
        java.util.function.IntConsumer predictBatch = first -> {
            if (float32) {
                System.arraycopy(x, first * FEATURES, floatBatch, 0, floatBatch.length);
                model.predict(floatBatch, T6_BATCH_ROWS);
            } else {
                model.predict(copyRows(training, first, T6_BATCH_ROWS, batch), T6_BATCH_ROWS);
            }
        };
        for (int warm = 0; warm < 20; warm++) {
            predictBatch.accept(warm * T6_BATCH_ROWS);
        }
        double rowsPerSecond = 0;
        for (int pass = 0; pass < T6_REPEATS; pass++) {  // the best of three passes, as on the peers' side
            long start = System.nanoTime();
            for (int b = 0; b < T6_BATCHES; b++) {
                predictBatch.accept((b * T6_BATCH_ROWS) % TRAIN_ROWS);
            }
            rowsPerSecond = Math.max(rowsPerSecond, (double) T6_BATCHES * T6_BATCH_ROWS / ((System.nanoTime() - start) / 1e9));
        }
        double[] row = new double[FEATURES];
        float[] floatRow = new float[FEATURES];
        double[] latencies = new double[T6_SINGLE_CALLS];
        for (int r = -T6_SINGLE_CALLS; r < T6_SINGLE_CALLS; r++) {  // the first half warms up
            long callStart = System.nanoTime();
            if (float32) {
                System.arraycopy(x, Math.abs(r) * FEATURES, floatRow, 0, FEATURES);
                model.predict(floatRow, 1);
            } else {
                model.predict(copyRows(training, Math.abs(r), 1, row), 1);
            }
            if (r >= 0) {
                latencies[r] = (System.nanoTime() - callStart) / 1e6;
            }
        }
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "{\"task\": \"T6\", %s, \"rows_per_s\": %.1f, \"single_median_ms\": %.4f, \"single_p99_ms\": %.4f}%n",
                common, rowsPerSecond, latencies[T6_SINGLE_CALLS / 2], latencies[(int) (T6_SINGLE_CALLS * 0.99)]);
    }

    private static void runT5(LabeledData training, LabeledData validation, Precision precision, String common) {
        long start = System.nanoTime();
        Network small = train(training, 32, 1, precision);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"task\": \"T5\", %s, \"samples_per_s\": %.1f, \"val_accuracy\": %.4f}%n",
                common, TRAIN_ROWS / seconds, accuracy(small, validation));
    }

    /**
     * The T4 network trained with sgd 0.05, categorical cross-entropy, shuffled batches, seed 42, and
     * scikit-learn's initialization (Glorot uniform, our {@code xavier}) so that accuracies compare
     * like for like.
     */
    static Network train(LabeledData data, int batchSize, int epochs, Precision precision) {
        NetworkSpec spec = new NetworkSpec(FEATURES, List.of(LayerSpec.of(256, Activation.relu()), LayerSpec.of(128, Activation.relu())),
                CLASSES, Activation.softmax(), Initializer.xavier(), precision);
        SplittableRandom random = new SplittableRandom(42);
        Network network = Network.initialize(spec, random);
        TrainingSpec training = TrainingSpec.basic(Task.CLASSIFICATION, Loss.CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd(0.05),
                epochs, batchSize);
        new Trainer().train(network, data, null, training, random, CancellationToken.NONE, EpochListener.NONE);
        return network;
    }

    static double accuracy(Network network, LabeledData data) {
        double[] output = network.predict(data.features(), data.rows());
        int correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            if (argmax(output, r * CLASSES) == argmax(data.targets(), r * CLASSES)) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }

    private static int argmax(double[] values, int offset) {
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    private static double[] copyRows(LabeledData data, int first, int rows, double[] into) {
        System.arraycopy(data.features(), first * FEATURES, into, 0, rows * FEATURES);
        return into;
    }

    private static float[] readFeatures(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            FloatBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
    }

    /** Rows {@code [from, to)} as float64 features (the exact float32 values) and one-hot targets. */
    private static LabeledData labeled(float[] x, byte[] y, int from, int to) {
        int rows = to - from;
        double[] features = new double[rows * FEATURES];
        double[] targets = new double[rows * CLASSES];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < FEATURES; c++) {
                features[r * FEATURES + c] = x[(from + r) * FEATURES + c];
            }
            targets[r * CLASSES + y[from + r]] = 1;
        }
        return new LabeledData(features, targets, rows, FEATURES, CLASSES);
    }

    private static long peakHeapBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    /** The data as a user would upload them: the recipe's four decimals (exact, since every value is k/10⁴). */
    private static void writeCsv(float[] x, byte[] y, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int c = 0; c < FEATURES; c++) {
                out.write("x" + c + ",");
            }
            out.write("y\n");
            StringBuilder line = new StringBuilder(FEATURES * 8);
            for (int r = 0; r < ROWS; r++) {
                line.setLength(0);
                for (int c = 0; c < FEATURES; c++) {
                    long tenThousandths = Math.round(x[r * FEATURES + c] * 10_000.0);
                    if (tenThousandths < 0) {
                        line.append('-');
                        tenThousandths = -tenThousandths;
                    }
                    line.append(tenThousandths / 10_000).append('.');
                    String decimals = Long.toString(tenThousandths % 10_000);
                    line.append("0000", 0, 4 - decimals.length()).append(decimals).append(',');
                }
                line.append(y[r]).append('\n');
                out.append(line);
            }
        }
    }
}
