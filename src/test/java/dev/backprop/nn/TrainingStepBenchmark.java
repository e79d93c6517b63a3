package dev.backprop.nn;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput of the T4 network, 784-256(relu)-128(relu)-10(softmax), through the real
 * trainer: one epoch of {@code ROWS} samples per invocation (shuffle, gather, forward, backward,
 * finite checks, sgd update), in float64 and in float32. The score is in epochs/s; samples/s =
 * score × {@code ROWS}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBenchmark {

    /** Samples per invocation: a multiple of both batch sizes. */
    public static final int ROWS = 128 * 32;

    @Param({"128", "32"})
    public int batchSize;

    /** {@code float64} or {@code float32} ({@link Precision}). */
    @Param({"float64", "float32"})
    public String precision;

    private Network network;
    private LabeledData data;
    private TrainingSpec spec;
    private SplittableRandom random;
    private final Trainer trainer = new Trainer();

    @Setup(Level.Trial)
    public void setUp() {
        random = new SplittableRandom(42);
        NetworkSpec networkSpec = NetworkSpec.of(784,
                List.of(LayerSpec.of(256, Activation.relu()), LayerSpec.of(128, Activation.relu())), 10, Activation.softmax())
                .withPrecision(Precision.named(precision));
        network = Network.initialize(networkSpec, random);
        double[] x = new double[ROWS * 784];
        double[] y = new double[ROWS * 10];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < 784; c++) {
                x[r * 784 + c] = random.nextGaussian();
            }
            y[r * 10 + random.nextInt(10)] = 1;
        }
        data = new LabeledData(x, y, ROWS, 784, 10);
        spec = TrainingSpec.basic(Task.CLASSIFICATION, Loss.CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd(0.05), 1, batchSize);
    }

    @Benchmark
    public TrainingResult epoch() {
        return trainer.train(network, data, null, spec, random, CancellationToken.NONE, EpochListener.NONE);
    }
}
