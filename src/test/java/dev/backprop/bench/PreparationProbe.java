package dev.backprop.bench;

import dev.backprop.data.CsvReader;
import dev.backprop.data.Table;
import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.nn.EpochMetrics;
import dev.backprop.nn.Network;
import dev.backprop.nn.ParallelBlocks;
import dev.backprop.nn.Trainer;
import dev.backprop.nn.TrainingResult;
import dev.backprop.support.TestProperties;
import dev.backprop.training.JobSpecResolver;
import dev.backprop.training.ResolvedTrainingJob;
import dev.backprop.training.TrainingData;
import dev.backprop.training.TrainingFixtures;
import dev.backprop.training.TrainingPlan;
import java.io.BufferedInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A T4 job's preparation against its training, in one process and one sitting: {@code t4.csv} read once (as an
 * upload leaves it in {@code dataset.RecentTables}), then, {@code REPEATS} times, what {@code TrainingExecution} does
 * between a claim and the first epoch (the plan: column selection, targets, split, pipeline fit, encoding; the
 * network's initialization) timed in wall and process CPU time, and the harness's three epochs. The losses print as
 * hex doubles, so that two builds' runs can be compared bit for bit.
 *
 * <p>{@code java -cp … dev.backprop.bench.PreparationProbe DATA_DIR [float64|float32] [REPEATS] [--no-training]}:
 * DATA_DIR holds {@code t4.csv} ({@code T4Tasks DATA_DIR --csv}). Not a test: a measurement, printed as JSON lines.
 */
public final class PreparationProbe {

    private PreparationProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]).resolve("t4.csv");
        String precision = args.length > 1 ? args[1] : "float64";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean train = !List.of(args).contains("--no-training");
        Table table = CsvReader.read(() -> new BufferedInputStream(Files.newInputStream(csv)),
                new CsvReader.Limits(1_000_000, 10_000, 10_000), CsvReader.Options.DEFAULT).table();
        TrainingData data = new TrainingData(table, "y", null);
        JobSpecResolver resolver = new JobSpecResolver(TestProperties.defaults());
        Map<String, Object> request = Map.of(
                "name", "T4", "task", "classification",
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 256, "activation", "relu"), Map.of("units", 128, "activation", "relu")),
                        "outputActivation", "softmax", "initializer", "torch_default", "precision", precision),
                "training", Map.of("loss", "categorical_crossentropy", "optimizer", "sgd", "learningRate", 0.05, "epochs", 3,
                        "batchSize", 128, "seed", 42, "validationFraction", 1.0 / 7, "validationSplit", "last", "scaling", "none"));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int repeat = 1; repeat <= repeats; repeat++) {
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            ResolvedTrainingJob resolved = resolver.resolve(TrainingFixtures.request(request), data);
            double submitWall = (System.nanoTime() - wall) / 1e9;
            double submitCpu = (os.getProcessCpuTime() - cpu) / 1e9;
            wall = System.nanoTime();
            cpu = os.getProcessCpuTime();
            TrainingPlan plan = resolver.plan(resolved, data);
            Network network = Network.initialize(plan.network(), plan.random());
            double preparationWall = (System.nanoTime() - wall) / 1e9;
            double preparationCpu = (os.getProcessCpuTime() - cpu) / 1e9;
            String figures = String.format(Locale.ROOT, "\"repeat\": %d, \"precision\": \"%s\", \"threads\": %d, \"submit_s\": %.3f, "
                            + "\"submit_cpu_s\": %.3f, \"preparation_s\": %.3f, \"preparation_cpu_s\": %.3f", repeat, precision,
                    ParallelBlocks.threads(), submitWall, submitCpu, preparationWall, preparationCpu);
            if (train) {
                wall = System.nanoTime();
                TrainingResult result = new Trainer().train(network, plan.trainingData(), plan.validation(), plan.training(),
                        plan.random(), CancellationToken.NONE, EpochListener.NONE);
                double trainingWall = (System.nanoTime() - wall) / 1e9;
                StringJoiner losses = new StringJoiner("\", \"", "[\"", "\"]");
                for (EpochMetrics epoch : result.history()) {
                    losses.add(Double.toHexString(epoch.loss()) + " " + Double.toHexString(epoch.validationLoss()));
                }
                figures += String.format(Locale.ROOT, ", \"training_s\": %.3f, \"preparation_per_training\": %.3f, \"losses\": %s",
                        trainingWall, preparationWall / trainingWall, losses);
            }
            System.out.println("{" + figures + "}");
        }
    }
}
