package dev.backprop.training;

import java.util.List;

/**
 * What a client asks to train, as plain data. As submitted, absent settings are {@code null};
 * {@link JobSpecResolver} returns a copy with every default filled in, which is what a job stores
 * and what {@code ?dryRun=true} echoes. Options are enums ({@link WireName}) that JSON writes and reads
 * by their wire names; the web layer parses a request's strings into them, with the field named.
 *
 * @param name     an optional label for the job
 * @param task     {@code classification} or {@code regression}; inferred when absent and unambiguous
 * @param network  the architecture
 * @param training the training settings
 */
public record TrainingJobSpec(String name, String task, NetworkConfig network, TrainingConfig training) {

    /** This request with other training settings. */
    public TrainingJobSpec withTraining(TrainingConfig newTraining) {
        return new TrainingJobSpec(name, task, network, newTraining);
    }

    /**
     * @param hiddenLayers     the hidden layers, input side first
     * @param outputActivation the output activation; derived from the task when absent
     * @param outputUnits      output units; derived from the task and classes when absent
     * @param initializer      {@code normal}, {@code xavier} or {@code he}; absent means each layer's default
     * @param initializerScale the standard deviation of {@code normal} (default 0.1)
     * @param precision        {@code float64} (default) or {@code float32}: the arithmetic of the matrix products
     */
    public record NetworkConfig(List<HiddenLayerConfig> hiddenLayers, String outputActivation, Integer outputUnits,
                                String initializer, Double initializerScale, String precision) {
    }

    /**
     * @param units      neurons in the layer
     * @param activation the activation (default relu)
     * @param dropout    inverted-dropout rate while training (default 0)
     * @param alpha      slope of leaky_relu (default 0.01) or alpha of elu (default 1)
     */
    public record HiddenLayerConfig(Integer units, String activation, Double dropout, Double alpha) {
    }

    /**
     * @param loss               mse, mae, binary_crossentropy or categorical_crossentropy; derived when absent
     * @param optimizer          sgd, momentum, rmsprop or adam (default adam)
     * @param learningRate       the base learning rate (default 0.01 for sgd and momentum, 0.001 otherwise)
     * @param momentum           momentum coefficient (momentum only, default 0.9)
     * @param nesterov           Nesterov look-ahead (momentum only, default false)
     * @param beta1              Adam's first-moment decay (default 0.9)
     * @param beta2              Adam's second-moment decay (default 0.999)
     * @param rho                RMSprop's decay (default 0.9)
     * @param epsilon            Adam's and RMSprop's denominator guard (1e-8 and 1e-7)
     * @param epochs             passes over the training data (default 100)
     * @param batchSize          rows per mini-batch; null means full batch, as in the tutorial
     * @param l1                 L1 penalty on weights (default 0)
     * @param l2                 L2 penalty on weights (default 0)
     * @param seed               the random seed; drawn and recorded at submission when absent
     * @param validationFraction rows held out for validation (default 0.2 from 20 rows on, otherwise 0)
     * @param validationSplit    how they are chosen: {@code stratified} (a seeded draw per class, the
     *                           default for classification), {@code random} (a seeded draw, the default
     *                           for regression) or {@code last} (the last rows in order, as Keras'
     *                           {@code validation_split})
     * @param scaling            numeric features: standardize (default), minmax or none, with
     *                           training-split statistics
     * @param imputation         missing features: mean (default) or median for numbers and the most
     *                           frequent category otherwise, or drop the rows
     * @param unknownCategories  a category unseen in training at prediction: ignore (all zeros,
     *                           default) or reject
     * @param earlyStopping      early stopping, or null for none
     * @param schedule           the learning-rate schedule (default constant)
     * @param clipNorm           clip gradients to this global norm; null for none
     * @param maxRuntimeSeconds  wall-clock budget; the best weights so far are kept as the model
     * @param targetScaling      regression: standardize (default with a linear output: trained on the
     *                           target standardized with training-row statistics, predictions and
     *                           metrics in the target's units) or none; null for classification
     * @param classWeights       classification: {@code "balanced"} (each class weighs rows / (classes ×
     *                           its rows), scikit-learn's rule) or a map from class label to weight (classes
     *                           left out weigh 1), in the training loss and its gradient; null for none
     */
    public record TrainingConfig(String loss, OptimizerType optimizer, Double learningRate, Double momentum, Boolean nesterov,
                                 Double beta1, Double beta2, Double rho, Double epsilon, Integer epochs, Integer batchSize,
                                 Double l1, Double l2, Long seed, Double validationFraction, ValidationSplit validationSplit,
                                 Scaling scaling, Imputation imputation, UnknownCategories unknownCategories,
                                 EarlyStoppingConfig earlyStopping, ScheduleConfig schedule, Double clipNorm,
                                 Integer maxRuntimeSeconds, TargetScalingMode targetScaling, Object classWeights) {

        /** These settings with another wall-clock budget (null for none). */
        public TrainingConfig withMaxRuntimeSeconds(Integer seconds) {
            return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                    batchSize, l1, l2, seed, validationFraction, validationSplit, scaling, imputation, unknownCategories,
                    earlyStopping, schedule, clipNorm, seconds, targetScaling, classWeights);
        }

        /** These settings with other early stopping (null for none). */
        public TrainingConfig withEarlyStopping(EarlyStoppingConfig stopping) {
            return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                    batchSize, l1, l2, seed, validationFraction, validationSplit, scaling, imputation, unknownCategories,
                    stopping, schedule, clipNorm, maxRuntimeSeconds, targetScaling, classWeights);
        }

        /**
         * These settings for a refit on every row, as scikit-learn's {@code refit}: no rows held out, so
         * nothing watches validation data and nothing stops early; the epochs are those the search found
         * best (its trials' early stopping chose them), and no time budget cuts the refit short.
         */
        public TrainingConfig forRefit(int refitEpochs, Long refitSeed) {
            EarlyStoppingConfig stopping = null;
            ScheduleConfig refitSchedule = schedule == null || schedule.monitor() == null || !schedule.monitor().startsWith("val_")
                    ? schedule : new ScheduleConfig(schedule.type(), schedule.everyEpochs(), schedule.factor(), schedule.rate(),
                    "loss", schedule.patience(), schedule.minDelta(), schedule.minLearningRate());
            return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, refitEpochs,
                    batchSize, l1, l2, refitSeed, 0.0, validationSplit, scaling, imputation, unknownCategories,
                    stopping, refitSchedule, clipNorm, null, targetScaling, classWeights);
        }
    }

    /**
     * @param monitor  loss, val_loss, metric or val_metric (default val_loss with validation data, else loss)
     * @param mode     min or max (default: the monitor's direction)
     * @param patience epochs without improvement before stopping (default 10)
     * @param minDelta smallest change that counts as an improvement (default 0)
     */
    public record EarlyStoppingConfig(String monitor, Direction mode, Integer patience, Double minDelta) {
    }

    /**
     * @param type            constant, step, exponential or reduce_on_plateau
     * @param everyEpochs     step: epochs between drops (default 10)
     * @param factor          step and reduce_on_plateau: multiplier per drop (default 0.5)
     * @param rate            exponential: multiplier per epoch (default 0.95)
     * @param monitor         reduce_on_plateau: the watched quantity (default like early stopping)
     * @param patience        reduce_on_plateau: epochs without improvement before a drop (default 5)
     * @param minDelta        reduce_on_plateau: smallest improvement (default 0)
     * @param minLearningRate reduce_on_plateau: floor (default 0)
     */
    public record ScheduleConfig(ScheduleType type, Integer everyEpochs, Double factor, Double rate, String monitor,
                                 Integer patience, Double minDelta, Double minLearningRate) {
    }
}
