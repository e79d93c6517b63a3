package dev.backprop.nn;

import java.time.Duration;

/**
 * A validated description of how to train: the loss, the optimizer, the loop and its guards.
 *
 * @param task          classification or regression; decides the headline metric
 * @param loss          the loss minimized
 * @param optimizer     the update rule and its base learning rate
 * @param epochs        passes over the training data, at least 1
 * @param batchSize     rows per mini-batch; {@code 0} means full batch (the tutorial's first
 *                      examples), which also means no shuffling
 * @param l1            L1 penalty {@code l1·Σ|w|} on weights (not biases), in the loss and its gradient
 * @param l2            L2 penalty {@code l2·Σw²} on weights (not biases), in the loss and its gradient
 * @param schedule      the learning-rate schedule
 * @param earlyStopping early stopping, or {@code null} for none
 * @param clipNorm      clip the gradient to this global L2 norm; {@code 0} for no clipping
 * @param maxRuntime    wall-clock budget checked between batches, or {@code null} for none
 * @param classWeights  classification: each class's weight in the training loss and its gradient, by class
 *                      index (a row weighs its class's weight: {@code Σ w_r·ℓ_r / n} per batch, Keras'
 *                      {@code class_weight}); {@code null} weighs every row 1. Validation loss stays unweighted.
 */
public record TrainingSpec(Task task, Loss loss, OptimizerSpec optimizer, int epochs, int batchSize,
                           double l1, double l2, LearningRateScheduleSpec schedule,
                           EarlyStoppingSpec earlyStopping, double clipNorm, Duration maxRuntime, double[] classWeights) {

    public TrainingSpec {
        if (task == null) {
            throw new IllegalArgumentException("task is required");
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss is required");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer is required");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize must be >= 1 (or absent for full batch), was " + batchSize);
        }
        requireNonNegativeFinite("l1", l1);
        requireNonNegativeFinite("l2", l2);
        requireNonNegativeFinite("clipNorm", clipNorm);
        if (schedule == null) {
            schedule = new LearningRateScheduleSpec.Constant();
        }
        if (maxRuntime != null && (maxRuntime.isNegative() || maxRuntime.isZero())) {
            throw new IllegalArgumentException("maxRuntime must be positive, was " + maxRuntime);
        }
        if (classWeights != null) {
            if (task != Task.CLASSIFICATION) {
                throw new IllegalArgumentException("classWeights apply to classification only");
            }
            boolean anyPositive = false;
            for (double weight : classWeights) {
                requireNonNegativeFinite("classWeights", weight);
                anyPositive |= weight > 0;
            }
            if (!anyPositive) {
                throw new IllegalArgumentException("classWeights must give some class a positive weight");
            }
            classWeights = classWeights.clone();
        }
    }

    /** A spec without class weights. */
    public TrainingSpec(Task task, Loss loss, OptimizerSpec optimizer, int epochs, int batchSize, double l1, double l2,
                        LearningRateScheduleSpec schedule, EarlyStoppingSpec earlyStopping, double clipNorm, Duration maxRuntime) {
        this(task, loss, optimizer, epochs, batchSize, l1, l2, schedule, earlyStopping, clipNorm, maxRuntime, null);
    }

    /** This spec with each class weighed by {@code weights[classIndex]} in the training loss. */
    public TrainingSpec withClassWeights(double[] weights) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, l1, l2, schedule, earlyStopping, clipNorm, maxRuntime,
                weights);
    }

    /** The class weights (a copy), or null when every row weighs 1. */
    @Override
    public double[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** The simplest spec: constant rate, no regularization, no early stopping, no budget. */
    public static TrainingSpec basic(Task task, Loss loss, OptimizerSpec optimizer, int epochs, int batchSize) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, 0, 0, null, null, 0, null);
    }

    /** This spec with another optimizer. */
    public TrainingSpec withOptimizer(OptimizerSpec newOptimizer) {
        return new TrainingSpec(task, loss, newOptimizer, epochs, batchSize, l1, l2, schedule, earlyStopping, clipNorm, maxRuntime, classWeights);
    }

    /** This spec with other L1 and L2 penalties. */
    public TrainingSpec withRegularization(double newL1, double newL2) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, newL1, newL2, schedule, earlyStopping, clipNorm, maxRuntime, classWeights);
    }

    /** This spec with early stopping. */
    public TrainingSpec withEarlyStopping(EarlyStoppingSpec newEarlyStopping) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, l1, l2, schedule, newEarlyStopping, clipNorm, maxRuntime, classWeights);
    }

    /** This spec with a schedule. */
    public TrainingSpec withSchedule(LearningRateScheduleSpec newSchedule) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, l1, l2, newSchedule, earlyStopping, clipNorm, maxRuntime, classWeights);
    }

    /** This spec with gradient clipping. */
    public TrainingSpec withClipNorm(double newClipNorm) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, l1, l2, schedule, earlyStopping, newClipNorm, maxRuntime, classWeights);
    }

    /** This spec with a wall-clock budget. */
    public TrainingSpec withMaxRuntime(Duration newMaxRuntime) {
        return new TrainingSpec(task, loss, optimizer, epochs, batchSize, l1, l2, schedule, earlyStopping, clipNorm, newMaxRuntime, classWeights);
    }

    private static void requireNonNegativeFinite(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
        }
    }
}
