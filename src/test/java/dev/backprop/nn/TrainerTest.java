package dev.backprop.nn;

import static dev.backprop.Tolerances.EXACT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final NetworkSpec SYNTHETIC_NET = NetworkSpec.of(3,
            List.of(new LayerSpec(8, Activation.relu(), 0.2), LayerSpec.of(6, Activation.tanh())), 1, Activation.sigmoid());
    private static final TrainingSpec SYNTHETIC_TRAINING = TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY,
            OptimizerSpec.Adam.withLearningRate(0.01), 20, 16);

    private static double[][] trainSynthetic(long seed, TrainingSpec spec) {
        SplittableRandom random = new SplittableRandom(seed);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(200, 1);
        new Trainer().train(network, TutorialData.rows(data, 0, 150), TutorialData.rows(data, 150, 200), spec, random,
                CancellationToken.NONE, EpochListener.NONE);
        return network.parameters();
    }

    @Test
    void sameDataSpecAndSeedGiveBitIdenticalWeights() {
        assertThat(trainSynthetic(5, SYNTHETIC_TRAINING)).isDeepEqualTo(trainSynthetic(5, SYNTHETIC_TRAINING));
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        assertThat(Arrays.deepEquals(trainSynthetic(5, SYNTHETIC_TRAINING), trainSynthetic(6, SYNTHETIC_TRAINING))).isFalse();
    }

    @Test
    void historyHasOneRecordPerEpochWithValidationAndLearningRate() {
        SplittableRandom random = new SplittableRandom(1);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(103, 1);
        List<EpochMetrics> heard = new ArrayList<>();
        TrainingResult result = new Trainer().train(network, TutorialData.rows(data, 0, 83), TutorialData.rows(data, 83, 103),
                SYNTHETIC_TRAINING.withSchedule(new LearningRateScheduleSpec.StepDecay(5, 0.5)), random,
                CancellationToken.NONE, heard::add);

        assertThat(result.history()).hasSize(20).isEqualTo(heard);
        assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(result.bestEpoch()).isEqualTo(20);
        // 83 rows in batches of 16: five full batches and a ragged one of 3, every epoch
        assertThat(result.batchesCompleted()).isEqualTo(20 * 6);
        EpochMetrics first = result.history().get(0);
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.validationLoss()).isNotNull().isPositive();
        assertThat(first.validationMetric()).isBetween(0.0, 1.0);
        assertThat(first.learningRate()).isEqualTo(0.01);
        assertThat(result.history().get(5).learningRate()).isEqualTo(0.005);
        assertThat(result.history().get(19).learningRate()).isEqualTo(0.01 * 0.125);
    }

    @Test
    void exponentialAndPlateauSchedules() {
        LearningRateSchedule exponential = new LearningRateScheduleSpec.ExponentialDecay(0.9).start(1.0);
        assertThat(exponential.learningRate(1)).isEqualTo(1.0);
        assertThat(exponential.learningRate(3)).isEqualTo(0.81, within(EXACT));

        LearningRateSchedule plateau = new LearningRateScheduleSpec.ReduceOnPlateau(Monitor.LOSS, 0.5, 2, 0, 0.1).start(1.0);
        double[] losses = {1.0, 0.9, 0.95, 0.95, 0.97, 0.99, 0.99, 0.99, 0.99, 0.99};
        List<Double> rates = new ArrayList<>();
        for (int e = 0; e < losses.length; e++) {
            rates.add(plateau.learningRate(e + 1));
            plateau.afterEpoch(new EpochMetrics(e + 1, losses[e], null, 0, null, 0, 0));
        }
        // no improvement after epoch 2: halve after epochs 4, 6, 8, 10 — floored at 0.1
        assertThat(rates).containsExactly(1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125);
        assertThat(plateau.learningRate(11)).isEqualTo(0.1);
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestEpochsWeights() {
        SplittableRandom random = new SplittableRandom(2);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(120, 2);
        List<double[][]> weightsAfterEpoch = new ArrayList<>();
        // a minDelta no epoch can beat makes epoch 1 the best, so the final weights must be epoch 1's
        TrainingSpec spec = SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.VAL_LOSS, 3, 10.0));
        TrainingResult result = new Trainer().train(network, TutorialData.rows(data, 0, 100), TutorialData.rows(data, 100, 120),
                spec, random, CancellationToken.NONE, epoch -> weightsAfterEpoch.add(network.parameters()));

        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
        assertThat(result.history()).hasSize(4);
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(network.parameters()).isDeepEqualTo(weightsAfterEpoch.get(0));
        assertThat(Arrays.deepEquals(network.parameters(), weightsAfterEpoch.get(3))).isFalse();
    }

    @Test
    void earlyStoppingNeverStopsBeforeItsMinimumEpochsAndStillKeepsTheBestEpochsWeights() {
        SplittableRandom random = new SplittableRandom(2);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(120, 2);
        List<double[][]> weightsAfterEpoch = new ArrayList<>();
        // as above, epoch 1 is the best and patience runs out at epoch 4; the floor holds the run to epoch 9
        TrainingSpec spec = SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.VAL_LOSS, 3, 10.0).withMinEpochs(9));
        TrainingResult result = new Trainer().train(network, TutorialData.rows(data, 0, 100), TutorialData.rows(data, 100, 120),
                spec, random, CancellationToken.NONE, epoch -> weightsAfterEpoch.add(network.parameters()));

        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
        assertThat(result.history()).hasSize(9);
        assertThat(result.bestEpoch()).isEqualTo(1);
        assertThat(network.parameters()).isDeepEqualTo(weightsAfterEpoch.get(0));
    }

    @Test
    void earlyStoppingPicksTheEpochWithTheBestMonitoredValue() {
        SplittableRandom random = new SplittableRandom(3);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(120, 3);
        List<double[][]> weightsAfterEpoch = new ArrayList<>();
        TrainingSpec spec = SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.VAL_LOSS, 100, 0));
        TrainingResult result = new Trainer().train(network, TutorialData.rows(data, 0, 100), TutorialData.rows(data, 100, 120),
                spec, random, CancellationToken.NONE, epoch -> weightsAfterEpoch.add(network.parameters()));

        double bestLoss = result.history().stream().mapToDouble(EpochMetrics::validationLoss).min().orElseThrow();
        assertThat(result.history().get(result.bestEpoch() - 1).validationLoss()).isEqualTo(bestLoss);
        assertThat(network.parameters()).isDeepEqualTo(weightsAfterEpoch.get(result.bestEpoch() - 1));
    }

    /** A run and the weights it ended with. */
    private record Stopped(TrainingResult result, double[][] weights) {
    }

    /** A run stopped by {@code stopping} on synthetic rows with 20 validation rows (accuracy in steps of 0.05), at a high rate. */
    private static Stopped trainOnFewValidationRows(EarlyStoppingSpec stopping, List<double[][]> weightsAfterEpoch) {
        SplittableRandom random = new SplittableRandom(SEED_WITH_TIES);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(120, SEED_WITH_TIES);
        TrainingResult result = new Trainer().train(network, TutorialData.rows(data, 0, 100), TutorialData.rows(data, 100, 120),
                TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY, OptimizerSpec.Adam.withLearningRate(0.05), 60, 16)
                        .withEarlyStopping(stopping), random, CancellationToken.NONE,
                epoch -> weightsAfterEpoch.add(network.parameters()));
        return new Stopped(result, network.parameters());
    }

    private static final long SEED_WITH_TIES = 4;

    @Test
    void aMetricMonitorWhoseLossBreaksTiesKeepsTheEpochALeaderboardRanksFirst() {
        List<double[][]> weights = new ArrayList<>();
        Stopped run = trainOnFewValidationRows(new EarlyStoppingSpec(Monitor.VAL_METRIC, 8, 0).withLossBreakingTies(), weights);
        TrainingResult result = run.result();
        List<EpochMetrics> history = result.history();
        double bestAccuracy = history.stream().mapToDouble(EpochMetrics::validationMetric).max().orElseThrow();
        EpochMetrics ranksFirst = history.stream().filter(e -> e.validationMetric() == bestAccuracy)
                .min(java.util.Comparator.comparingDouble(EpochMetrics::validationLoss)).orElseThrow();
        EpochMetrics firstAtBest = history.stream().filter(e -> e.validationMetric() == bestAccuracy).findFirst().orElseThrow();
        // the highest accuracy, and of the epochs that reached it the lowest validation loss, with its weights
        assertThat(result.bestEpoch()).isEqualTo(ranksFirst.epoch());
        assertThat(run.weights()).isDeepEqualTo(weights.get(ranksFirst.epoch() - 1));
        // the tie was real: an earlier epoch had the same accuracy at a higher loss, and a run without the tie-break keeps it
        assertThat(firstAtBest.epoch()).isLessThan(ranksFirst.epoch());
        assertThat(trainOnFewValidationRows(new EarlyStoppingSpec(Monitor.VAL_METRIC, 8, 0), new ArrayList<>()).result().bestEpoch())
                .isEqualTo(firstAtBest.epoch());
        // patience counts epochs without a better rank (a higher accuracy, or the same at a lower loss)
        assertThat(result.stopReason()).isEqualTo(StopReason.EARLY_STOPPED);
        assertThat(history).hasSize(ranksFirst.epoch() + 8);
    }

    @Test
    void onlyAMetricHasTiesForItsLossToBreak() {
        assertThatThrownBy(() -> new EarlyStoppingSpec(Monitor.VAL_LOSS, 2, 0).withLossBreakingTies())
                .hasMessageContaining("lossBreaksTies");
    }

    @Test
    void earlyStoppingModeCanOverrideTheMonitorsDirection() {
        assertThat(new EarlyStoppingSpec(Monitor.VAL_METRIC, 2, 0).mode()).isEqualTo(EarlyStoppingSpec.Mode.MAX);
        assertThat(new EarlyStoppingSpec(Monitor.LOSS, 2, 0).mode()).isEqualTo(EarlyStoppingSpec.Mode.MIN);
        SplittableRandom random = new SplittableRandom(3);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(120, 3);
        // maximizing the loss: the best epoch is the one with the highest training loss
        TrainingSpec spec = SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.LOSS, EarlyStoppingSpec.Mode.MAX, 100, 0));
        TrainingResult result = new Trainer().train(network, data, null, spec, random, CancellationToken.NONE, EpochListener.NONE);
        double worstLoss = result.history().stream().mapToDouble(EpochMetrics::loss).max().orElseThrow();
        assertThat(result.history().get(result.bestEpoch() - 1).loss()).isEqualTo(worstLoss);
    }

    @Test
    void divergenceIsCaughtInTheFirstEpochKeepingFiniteWeights() {
        NetworkSpec spec = NetworkSpec.of(3, List.of(LayerSpec.of(16, Activation.relu())), 1, Activation.linear());
        SplittableRandom random = new SplittableRandom(4);
        Network network = Network.initialize(spec, random);
        LabeledData data = TutorialData.smoothRegression(100, 4);
        LabeledData wide = new LabeledData(Arrays.copyOf(data.features(), 300), data.targets(), 100, 3, 1);

        assertThatThrownBy(() -> new Trainer().train(network, wide, null,
                TrainingSpec.basic(Task.REGRESSION, Loss.MSE, new OptimizerSpec.Sgd(1e4), 50, 1), random,
                CancellationToken.NONE, EpochListener.NONE))
                .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(1);
                    assertThat(e.batch()).isBetween(1, 100);
                    assertThat(e.getMessage()).contains("epoch 1, batch " + e.batch());
                });
        for (double[] slot : network.parameters()) {
            assertThat(Arrays.stream(slot).allMatch(Double::isFinite)).isTrue();
        }
    }

    @Test
    void clippingBoundsTheUpdateSoTheSameRateNoLongerDiverges() {
        NetworkSpec spec = NetworkSpec.of(2, List.of(LayerSpec.of(16, Activation.tanh())), 1, Activation.linear());
        SplittableRandom random = new SplittableRandom(4);
        Network network = Network.initialize(spec, random);
        TrainingResult result = new Trainer().train(network, TutorialData.smoothRegression(100, 4), null,
                TrainingSpec.basic(Task.REGRESSION, Loss.MSE, new OptimizerSpec.Sgd(0.5), 30, 10).withClipNorm(0.01),
                random, CancellationToken.NONE, EpochListener.NONE);
        assertThat(result.history()).allMatch(e -> Double.isFinite(e.loss()));
        // with every step at most 0.5 · 0.01 long, 300 steps move the weights at most 1.5 in norm
        Network start = Network.initialize(spec, new SplittableRandom(4));
        double distance = 0;
        double[][] before = start.parameters();
        double[][] after = network.parameters();
        for (int s = 0; s < before.length; s++) {
            for (int i = 0; i < before[s].length; i++) {
                distance += Math.pow(after[s][i] - before[s][i], 2);
            }
        }
        assertThat(Math.sqrt(distance)).isLessThanOrEqualTo(1.5 + EXACT);
    }

    @Test
    void cancellationStopsBeforeTheNextBatch() {
        AtomicInteger checks = new AtomicInteger();
        SplittableRandom random = new SplittableRandom(5);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        TrainingResult result = new Trainer().train(network, TutorialData.synthetic(100, 5), null,
                TrainingSpec.basic(Task.CLASSIFICATION, Loss.BINARY_CROSSENTROPY, new OptimizerSpec.Sgd(0.1), 1000, 10),
                random, () -> checks.incrementAndGet() > 25, EpochListener.NONE);

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.batchesCompleted()).isEqualTo(25);
        assertThat(result.history()).hasSize(2);
    }

    @Test
    void timeBudgetEndsTheRunWithTimeLimitAndKeepsTheBestWeights() {
        AtomicLong now = new AtomicLong();
        // every reading of the clock advances it by one millisecond
        Trainer trainer = new Trainer(() -> now.addAndGet(1_000_000));
        SplittableRandom random = new SplittableRandom(6);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        List<double[][]> weightsAfterEpoch = new ArrayList<>();
        LabeledData data = TutorialData.synthetic(120, 6);
        TrainingSpec spec = SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.VAL_LOSS, 1000, 0))
                .withMaxRuntime(Duration.ofMillis(100));
        TrainingResult result = trainer.train(network, TutorialData.rows(data, 0, 100), TutorialData.rows(data, 100, 120),
                spec, random, CancellationToken.NONE, epoch -> weightsAfterEpoch.add(network.parameters()));

        assertThat(result.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(result.history()).hasSizeLessThan(20);
        assertThat(result.history().get(result.history().size() - 1).elapsedMillis()).isLessThanOrEqualTo(100);
        assertThat(network.parameters()).isDeepEqualTo(weightsAfterEpoch.get(result.bestEpoch() - 1));
    }

    @Test
    void regularizationIsPartOfTheReportedLoss() {
        SplittableRandom random = new SplittableRandom(7);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        LabeledData data = TutorialData.synthetic(50, 7);
        double plain = network.evaluate(data, Loss.BINARY_CROSSENTROPY, 0, 0).loss();
        double sumAbs = 0;
        double sumSquares = 0;
        for (int slot = 0; slot < network.slotCount(); slot += 2) {
            for (double w : network.parameterSlot(slot)) {
                sumAbs += Math.abs(w);
                sumSquares += w * w;
            }
        }
        double regularized = network.evaluate(data, Loss.BINARY_CROSSENTROPY, 0.01, 0.02).loss();
        assertThat(regularized).isCloseTo(plain + 0.01 * sumAbs + 0.02 * sumSquares, within(EXACT));
    }

    @Test
    void dropoutIsOffAtInference() {
        SplittableRandom random = new SplittableRandom(8);
        Network network = Network.initialize(SYNTHETIC_NET, random);
        double[] x = TutorialData.synthetic(10, 8).features();
        assertThat(network.predict(x, 10)).isEqualTo(network.predict(x, 10));
    }

    @Test
    void rejectsDataAndSpecsThatDoNotFit() {
        Network network = Network.initialize(SYNTHETIC_NET, new SplittableRandom(1));
        LabeledData data = TutorialData.synthetic(20, 1);
        Trainer trainer = new Trainer();
        assertThatThrownBy(() -> trainer.train(network, TutorialData.xor(), null, SYNTHETIC_TRAINING, new SplittableRandom(1),
                CancellationToken.NONE, EpochListener.NONE)).hasMessageContaining("2 features but the network expects 3");
        assertThatThrownBy(() -> trainer.train(network, data, null,
                SYNTHETIC_TRAINING.withEarlyStopping(new EarlyStoppingSpec(Monitor.VAL_LOSS, 2, 0)), new SplittableRandom(1),
                CancellationToken.NONE, EpochListener.NONE)).hasMessageContaining("val_loss needs validation data");
        assertThatThrownBy(() -> trainer.train(network, data, null,
                TrainingSpec.basic(Task.CLASSIFICATION, Loss.CATEGORICAL_CROSSENTROPY, new OptimizerSpec.Sgd(0.1), 1, 0),
                new SplittableRandom(1), CancellationToken.NONE, EpochListener.NONE))
                .hasMessageContaining("categorical_crossentropy needs a softmax output");
    }
}
