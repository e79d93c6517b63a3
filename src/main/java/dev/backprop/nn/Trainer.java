package dev.backprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The training loop: mini-batch gradient descent with backpropagation.
 *
 * <p>Per epoch: the learning rate from the schedule; a fresh shuffle of the row order from the run's
 * random stream (unless full batch); for every mini-batch (the last may be smaller) a check of the
 * cancellation token and the time budget, a forward and backward pass, a check that loss and gradient
 * are finite, optional clipping to a global norm, and one optimizer step. After the epoch: validation,
 * the listener, the schedule and early stopping.
 *
 * <p>Everything random (initial weights are drawn by the caller, then shuffles and dropout masks) comes
 * from the {@link SplittableRandom} passed in, so the same data, spec and seed give bit-identical
 * weights.
 */
public final class Trainer {

    private final LongSupplier nanoClock;

    /** A trainer on the system's monotonic clock. */
    public Trainer() {
        this(System::nanoTime);
    }

    /** A trainer on the given monotonic clock (nanoseconds), for tests of the time budget. */
    public Trainer(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Trains {@code network} in place.
     *
     * @param validation  validation data, or {@code null} for none
     * @param random      the run's random stream (shuffles and dropout)
     * @param cancellation asked before every mini-batch
     * @param listener    told about every finished epoch
     * @return the history and why the run ended; with early stopping the network holds the best
     *         epoch's weights
     * @throws TrainingDivergedException when a loss or gradient is not finite; the network keeps the
     *         last finite weights
     * @throws IllegalArgumentException when the data, network and spec do not fit together
     */
    public TrainingResult train(Network network, LabeledData training, LabeledData validation, TrainingSpec spec,
                                SplittableRandom random, CancellationToken cancellation, EpochListener listener) {
        requireFit(network, training, validation, spec);
        return new Run(network, training, validation, spec, random, cancellation, listener).execute();
    }

    private static void requireFit(Network network, LabeledData training, LabeledData validation, TrainingSpec spec) {
        NetworkSpec networkSpec = network.spec();
        networkSpec.requireCompatible(spec.loss());
        for (LabeledData data : validation == null ? List.of(training) : List.of(training, validation)) {
            if (data.featureCount() != networkSpec.inputSize()) {
                throw new IllegalArgumentException("data have " + data.featureCount() + " features but the network expects "
                        + networkSpec.inputSize());
            }
            if (data.targetCount() != networkSpec.outputUnits()) {
                throw new IllegalArgumentException("data have " + data.targetCount() + " target columns but the output layer has "
                        + networkSpec.outputUnits() + " units");
            }
        }
        if (training.rows() == 0) {
            throw new IllegalArgumentException("training data are empty");
        }
        boolean hasValidation = validation != null && validation.rows() > 0;
        if (spec.earlyStopping() != null && spec.earlyStopping().monitor().needsValidation() && !hasValidation) {
            throw new IllegalArgumentException("earlyStopping.monitor " + spec.earlyStopping().monitor().wireName()
                    + " needs validation data");
        }
        if (spec.schedule() instanceof LearningRateScheduleSpec.ReduceOnPlateau plateau
                && plateau.monitor().needsValidation() && !hasValidation) {
            throw new IllegalArgumentException("schedule.monitor " + plateau.monitor().wireName() + " needs validation data");
        }
    }

    /** The mutable state of one call to {@link #train}. */
    private final class Run {
        private final Network network;
        private final LabeledData training;
        private final LabeledData validation;
        private final TrainingSpec spec;
        private final SplittableRandom random;
        private final CancellationToken cancellation;
        private final EpochListener listener;
        private final Optimizer optimizer;
        private final LearningRateSchedule schedule;
        private final int batchSize;
        private final int[] order;
        private final double[] batchFeatures;
        private final double[] batchTargets;
        /** Each training row's class weight, or null when rows are unweighted. */
        private final double[] rowWeights;
        private final double[] batchWeights;
        private final HeadlineMetric trainingMetric;
        private final Network.Evaluator validator;
        private final HeadlineMetric validationMetric;
        private final List<EpochMetrics> history = new ArrayList<>();
        private final long startNanos;
        private long batchesCompleted;
        /** One partial sum per block of {@link ParallelBlocks#forBlocks}. */
        private final double[] blockSums = new double[ParallelBlocks.threads()];
        private double[][] bestParameters;
        private int bestEpoch;
        private double bestValue = Double.NaN;
        /** The best epoch's loss of the monitor's rows, which breaks ties of its metric when asked to. */
        private double bestTieLoss = Double.NaN;
        private int epochsWithoutImprovement;

        Run(Network network, LabeledData training, LabeledData validation, TrainingSpec spec, SplittableRandom random,
            CancellationToken cancellation, EpochListener listener) {
            this.network = network;
            this.training = training;
            this.validation = validation != null && validation.rows() > 0 ? validation : null;
            this.spec = spec;
            this.random = random;
            this.cancellation = cancellation;
            this.listener = listener;
            this.optimizer = spec.optimizer().newState(network.slotLengths());
            this.schedule = spec.schedule().start(spec.optimizer().learningRate());
            boolean fullBatch = spec.batchSize() == 0 || spec.batchSize() >= training.rows();
            this.batchSize = fullBatch ? training.rows() : spec.batchSize();
            this.order = fullBatch ? null : Splits.identity(training.rows());
            this.batchFeatures = fullBatch ? allFeatures(training) : new double[batchSize * training.featureCount()];
            this.batchTargets = fullBatch ? training.targets() : new double[batchSize * training.targetCount()];
            this.rowWeights = rowWeights(training, spec.classWeights());
            this.batchWeights = rowWeights == null ? null : fullBatch ? rowWeights : new double[batchSize];
            this.trainingMetric = new HeadlineMetric(spec.task(), training.targetCount());
            this.validator = this.validation == null ? null : network.new Evaluator(this.validation);
            this.validationMetric = this.validation == null ? null : new HeadlineMetric(spec.task(), this.validation.targetCount());
            this.startNanos = nanoClock.getAsLong();
        }

        TrainingResult execute() {
            StopReason stopReason = StopReason.COMPLETED;
            epochs:
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                double learningRate = schedule.learningRate(epoch);
                if (order != null) {
                    Splits.shuffleInPlace(order, random);
                }
                trainingMetric.reset();
                double lossSum = 0;
                int batchIndex = 0;
                for (int start = 0; start < training.rows(); start += batchSize) {
                    StopReason interruption = interruption();
                    if (interruption != null) {
                        stopReason = interruption;
                        break epochs;
                    }
                    int rows = Math.min(batchSize, training.rows() - start);
                    batchIndex++;
                    lossSum += step(start, rows, learningRate, epoch, batchIndex) * rows;
                    trainingMetric.add(network.lastTrainingOutput(), batchTargets, rows);
                }
                EpochMetrics metrics = finishEpoch(epoch, lossSum / training.rows(), learningRate);
                if (earlyStoppingTriggered(metrics)) {
                    stopReason = StopReason.EARLY_STOPPED;
                    break;
                }
            }
            if (bestParameters != null) {
                network.restore(bestParameters);
            } else if (spec.earlyStopping() == null) {
                bestEpoch = history.size();
            }
            return new TrainingResult(history, stopReason, bestEpoch, batchesCompleted);
        }

        private StopReason interruption() {
            if (cancellation.isCancellationRequested()) {
                return StopReason.CANCELLED;
            }
            if (spec.maxRuntime() != null && nanoClock.getAsLong() - startNanos >= spec.maxRuntime().toNanos()) {
                return StopReason.TIME_LIMIT;
            }
            return null;
        }

        /** One mini-batch: gather, forward, backward, checks, clip, update. Returns the batch loss. */
        private double step(int start, int rows, double learningRate, int epoch, int batchIndex) {
            if (order != null) {
                gatherBatch(start, rows);
            }
            double loss = network.lossAndGradients(batchFeatures, batchTargets, rows, spec.loss(), spec.l1(), spec.l2(), batchWeights,
                    random);
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("loss", epoch, batchIndex, history);
            }
            double norm = gradientNorm();
            if (!Double.isFinite(norm)) {
                throw new TrainingDivergedException("gradient", epoch, batchIndex, history);
            }
            double gradientScale = spec.clipNorm() > 0 && norm > spec.clipNorm() ? spec.clipNorm() / norm : 1;
            optimizer.beginStep();
            for (int slot = 0; slot < network.slotCount(); slot++) {
                int currentSlot = slot;
                double[] gradient = network.gradientSlot(slot);
                double[] parameters = network.parameterSlot(slot);
                ParallelBlocks.forBlocks(gradient.length, (block, from, to) -> {
                    if (gradientScale != 1) {
                        for (int i = from; i < to; i++) {
                            gradient[i] *= gradientScale;
                        }
                    }
                    optimizer.updateInPlace(currentSlot, parameters, gradient, learningRate, from, to);
                    // while the updated range is still in this core's cache
                    network.parametersChanged(currentSlot, from, to);
                });
            }
            batchesCompleted++;
            return loss;
        }

        private void gatherBatch(int start, int rows) {
            int features = training.featureCount();
            int targets = training.targetCount();
            for (int i = 0; i < rows; i++) {
                int row = order[start + i];
                training.copyRow(row, batchFeatures, i * features);
                System.arraycopy(training.targets(), row * targets, batchTargets, i * targets, targets);
                if (rowWeights != null) {
                    batchWeights[i] = rowWeights[row];
                }
            }
        }

        /** A full batch's features: the rows' own array when they are one block, else every block copied in row order. */
        private static double[] allFeatures(LabeledData training) {
            if (training.featureBlocks().length == 1) {
                return training.features();
            }
            double[] all = new double[training.rows() * training.featureCount()];
            for (int row = 0; row < training.rows(); row++) {
                training.copyRow(row, all, row * training.featureCount());
            }
            return all;
        }

        private static double[] rowWeights(LabeledData training, double[] classWeights) {
            if (classWeights == null) {
                return null;
            }
            double[] weights = new double[training.rows()];
            for (int row = 0; row < weights.length; row++) {
                weights[row] = classWeights[training.classOf(row)];
            }
            return weights;
        }

        /**
         * The L2 norm of all gradients together (Pascanu et al., 2013, clip by global norm); not finite
         * when a gradient is not. Large slots are summed in blocks on both cores, and the block sums
         * added in block order, so the norm is repeatable for a given thread count.
         */
        private double gradientNorm() {
            double sum = 0;
            for (int slot = 0; slot < network.slotCount(); slot++) {
                double[] g = network.gradientSlot(slot);
                int blocks = ParallelBlocks.forBlocks(g.length, (block, from, to) -> blockSums[block] = sumOfSquares(g, from, to));
                for (int block = 0; block < blocks; block++) {
                    sum += blockSums[block];
                }
            }
            return Math.sqrt(sum);
        }

        /**
         * {@code Σ g[i]²} over {@code [from, to)} in four partial sums, because one running sum waits for
         * every addition to finish before the next (four cycles each): on the T4 network's 235,000
         * weights that was a tenth of a training step.
         */
        private static double sumOfSquares(double[] g, int from, int to) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                s0 += g[i] * g[i];
                s1 += g[i + 1] * g[i + 1];
                s2 += g[i + 2] * g[i + 2];
                s3 += g[i + 3] * g[i + 3];
            }
            for (; i < to; i++) {
                s0 += g[i] * g[i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        private EpochMetrics finishEpoch(int epoch, double loss, double learningRate) {
            Double validationLoss = null;
            Double validationMetric = null;
            if (validation != null) {
                Network.Evaluation evaluation = validator.evaluate(spec.loss(), spec.l1(), spec.l2());
                this.validationMetric.reset();
                this.validationMetric.add(evaluation.predictions(), validation.targets(), validation.rows());
                validationLoss = evaluation.loss();
                validationMetric = this.validationMetric.value();
            }
            long elapsedMillis = (nanoClock.getAsLong() - startNanos) / 1_000_000;
            EpochMetrics metrics = new EpochMetrics(epoch, loss, validationLoss, trainingMetric.value(), validationMetric,
                    learningRate, elapsedMillis);
            history.add(metrics);
            listener.onEpoch(metrics);
            schedule.afterEpoch(metrics);
            return metrics;
        }

        /** Tracks the best epoch (snapshotting its weights) and says whether patience ran out. */
        private boolean earlyStoppingTriggered(EpochMetrics metrics) {
            EarlyStoppingSpec earlyStopping = spec.earlyStopping();
            if (earlyStopping == null) {
                return false;
            }
            Monitor monitor = earlyStopping.monitor();
            double value = monitor.valueIn(metrics);
            double tieLoss = monitor.lossOfSameRows().valueIn(metrics);
            boolean improved = Monitor.improves(value, bestValue, earlyStopping.minDelta(), earlyStopping.mode() == EarlyStoppingSpec.Mode.MAX)
                    // a tie is exact: a metric of few rows moves in steps of one row, and equal steps are the same count
                    || earlyStopping.lossBreaksTies() && value == bestValue && tieLoss < bestTieLoss;
            if (improved) {
                bestValue = value;
                bestTieLoss = Double.isNaN(tieLoss) ? Double.POSITIVE_INFINITY : tieLoss;
                bestEpoch = metrics.epoch();
                epochsWithoutImprovement = 0;
                snapshotBest();
                return false;
            }
            return ++epochsWithoutImprovement >= earlyStopping.patience() && metrics.epoch() >= earlyStopping.minEpochs();
        }

        private void snapshotBest() {
            if (bestParameters == null) {
                bestParameters = network.parameters();
                return;
            }
            for (int slot = 0; slot < bestParameters.length; slot++) {
                double[] source = network.parameterSlot(slot);
                System.arraycopy(source, 0, bestParameters[slot], 0, source.length);
            }
        }
    }
}
