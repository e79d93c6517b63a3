package dev.backprop.nn;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Epochs/s of the tutorial's XOR net: 2-4(sigmoid)-1(sigmoid), mse, sgd 0.1, full batch of 4. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XorBenchmark {

    private static final int EPOCHS = 1_000;

    private final NetworkSpec networkSpec = NetworkSpec.of(2, List.of(LayerSpec.of(4, Activation.sigmoid())), 1, Activation.sigmoid());
    private final TrainingSpec spec = TrainingSpec.basic(Task.CLASSIFICATION, Loss.MSE, new OptimizerSpec.Sgd(0.1), EPOCHS, 0);
    private final LabeledData xor = LabeledData.of(new double[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}},
            new double[][]{{0}, {1}, {1}, {0}});
    private final Trainer trainer = new Trainer();

    @Benchmark
    @OperationsPerInvocation(EPOCHS)
    public TrainingResult thousandEpochs() {
        SplittableRandom random = new SplittableRandom(42);
        return trainer.train(Network.initialize(networkSpec, random), xor, null, spec, random,
                CancellationToken.NONE, EpochListener.NONE);
    }
}
