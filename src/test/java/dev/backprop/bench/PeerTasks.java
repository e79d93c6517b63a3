package dev.backprop.bench;

import dev.backprop.nn.Activation;
import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.Gemm;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.LayerSpec;
import dev.backprop.nn.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.NetworkSpec;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.Task;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Backprop's side of T1–T3 of ../shared/bench/TASKS.md, in-process on the engine (the fair comparison
 * with the peers), on the data the peers wrote. Prints one JSON object per task, like bench/peers.py.
 * Each figure is the median of five runs after five warm-up runs (the JIT compiles during the first);
 * for T3, of 11 grids after 40.
 *
 * <p>Usage: see bench/run.sh.
 */
public final class PeerTasks {

    private static final int WARM_UP = 5;
    private static final int RUNS = 5;
    private static final int T3_WARM_UP = 40;
    private static final int T3_RUNS = 11;

    private PeerTasks() {
    }

    public static void main(String[] args) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0], "t2.csv"))) {
            rows.add(Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        LabeledData training = slice(rows, 0, 80);
        LabeledData validation = slice(rows, 80, 100);

        // T1 XOR
        LabeledData xor = LabeledData.of(new double[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][]{{0}, {1}, {1}, {0}});
        NetworkSpec xorNet = NetworkSpec.of(2, List.of(LayerSpec.of(4, Activation.sigmoid())), 1, Activation.sigmoid());
        TrainingSpec xorTraining = TrainingSpec.basic(Task.CLASSIFICATION, Loss.MSE, new OptimizerSpec.Sgd(0.1), 10_000, 0);
        double[] xorSeconds = new double[RUNS];
        int correct = 0;
        for (int run = -WARM_UP; run < RUNS; run++) {
            SplittableRandom random = new SplittableRandom(42);
            Network network = Network.initialize(xorNet, random);
            long start = System.nanoTime();
            new Trainer().train(network, xor, null, xorTraining, random, CancellationToken.NONE, EpochListener.NONE);
            if (run >= 0) {
                xorSeconds[run] = (System.nanoTime() - start) / 1e9;
                double[] out = network.predict(xor.features(), 4);
                correct = (out[0] < 0.5 ? 1 : 0) + (out[1] > 0.5 ? 1 : 0) + (out[2] > 0.5 ? 1 : 0) + (out[3] < 0.5 ? 1 : 0);
            }
        }
        emit("T1", "{\"epochs_per_s\": %.1f, \"correct\": %d}", 10_000 / median(xorSeconds), correct);

        // T2 tutorial synthetic
        NetworkSpec t2Net = NetworkSpec.of(3, List.of(LayerSpec.of(4, Activation.relu()), LayerSpec.of(6, Activation.relu())), 1,
                Activation.sigmoid());
        TrainingSpec t2Training = TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY, new OptimizerSpec.Sgd(0.01), 1_000, 10);
        double[] t2Seconds = new double[RUNS];
        double accuracy = 0;
        for (int run = -WARM_UP; run < RUNS; run++) {
            SplittableRandom random = new SplittableRandom(3);
            Network network = Network.initialize(t2Net, random);
            long start = System.nanoTime();
            new Trainer().train(network, training, null, t2Training, random, CancellationToken.NONE, EpochListener.NONE);
            if (run >= 0) {
                t2Seconds[run] = (System.nanoTime() - start) / 1e9;
                accuracy = accuracy(network, validation);
            }
        }
        emit("T2", "{\"wall_s\": %.4f, \"val_accuracy\": %.3f}", median(t2Seconds), accuracy);

        // T3 tutorial grid, 1 and 2 threads. 40 warm-up grids: with fewer, a C2 compiler thread still takes a
        // good part of a core while the 2-thread grid runs (issue 4's measurements, bench/NOTES.md).
        for (int workers : new int[]{1, 2}) {
            double[] seconds = new double[T3_RUNS];
            double[] best = null;
            for (int run = -T3_WARM_UP; run < T3_RUNS; run++) {
                long start = System.nanoTime();
                double[] result = grid(training, validation, workers);
                if (run >= 0) {
                    seconds[run] = (System.nanoTime() - start) / 1e9;
                    best = result;
                }
            }
            emit("T3-" + workers, "{\"wall_s\": %.4f, \"best\": {\"lr\": %s, \"h\": %d, \"act\": \"%s\"}, \"val_accuracy\": %.3f}",
                    median(seconds), best[1], (int) best[2], best[3] == 0 ? "relu" : "tanh", best[0]);
        }
        System.err.println("BLAS: " + Gemm.implementationName());
    }

    /** The 18 trials on {@code workers} threads; returns {accuracy, lr, h, activation index} of the best (first on ties). */
    private static double[] grid(LabeledData training, LabeledData validation, int workers) throws Exception {
        double[] rates = {0.001, 0.01, 0.1};
        int[] units = {4, 8, 16};
        List<double[]> trials = new ArrayList<>();
        for (double lr : rates) {
            for (int h : units) {
                for (int act = 0; act < 2; act++) {
                    trials.add(new double[]{0, lr, h, act});
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Double>> scores = new ArrayList<>();
            for (int i = 0; i < trials.size(); i++) {
                double[] trial = trials.get(i);
                long seed = i;
                scores.add(pool.submit(() -> {
                    NetworkSpec spec = NetworkSpec.of(3, List.of(LayerSpec.of((int) trial[2],
                            trial[3] == 0 ? Activation.relu() : Activation.tanh())), 1, Activation.sigmoid());
                    SplittableRandom random = new SplittableRandom(seed);
                    Network network = Network.initialize(spec, random);
                    new Trainer().train(network, training, null, TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY,
                            new OptimizerSpec.Sgd(trial[1]), 500, 10), random, CancellationToken.NONE, EpochListener.NONE);
                    return accuracy(network, validation);
                }));
            }
            double[] best = null;
            for (int i = 0; i < trials.size(); i++) {
                double score = scores.get(i).get();
                if (best == null || score > best[0]) {
                    best = trials.get(i).clone();
                    best[0] = score;
                }
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }

    private static double accuracy(Network network, LabeledData data) {
        double[] out = network.predict(data.features(), data.rows());
        int hits = 0;
        for (int r = 0; r < data.rows(); r++) {
            hits += (out[r] >= 0.5) == (data.targets()[r] >= 0.5) ? 1 : 0;
        }
        return (double) hits / data.rows();
    }

    private static LabeledData slice(List<double[]> rows, int from, int to) {
        double[][] x = new double[to - from][];
        double[][] y = new double[to - from][];
        for (int r = from; r < to; r++) {
            x[r - from] = Arrays.copyOf(rows.get(r), 3);
            y[r - from] = new double[]{rows.get(r)[3]};
        }
        return LabeledData.of(x, y);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void emit(String task, String format, Object... figures) {
        System.out.println("{\"task\": \"" + task + "\", \"peer\": \"backprop\", " + String.format(Locale.ROOT, format, figures).substring(1));
    }
}
