package dev.backprop.training;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a client asks to train, as plain data. As submitted, absent settings are {@code null};
 * {@link JobSpecResolver} returns a copy with every default filled in, which is what a job stores
 * and what {@code ?dryRun=true} echoes. Options are enums ({@link WireName}) that JSON writes and reads
 * by their wire names; the web layer parses a request's strings into them, with the field named.
 *
 * @param name     an optional label for the job, and the name of the model it trains
 * @param task     {@code classification} or {@code regression}; inferred when absent and unambiguous
 * @param network  the architecture
 * @param training the training settings
 * @param tags     labels of the model it trains, for finding it again; absent when none (and then not stored,
 *                 so that specs stored before tags keep their shape)
 */
public record TrainingJobSpec(String name, String task, NetworkConfig network, TrainingConfig training,
                              @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                              List<String> tags) {

    /** A request without tags. */
    public TrainingJobSpec(String name, String task, NetworkConfig network, TrainingConfig training) {
        this(name, task, network, training, null);
    }

    /** This request with other training settings. */
    public TrainingJobSpec withTraining(TrainingConfig newTraining) {
        return new TrainingJobSpec(name, task, network, newTraining, tags);
    }

    /** This request with another network. */
    public TrainingJobSpec withNetwork(NetworkConfig newNetwork) {
        return new TrainingJobSpec(name, task, newNetwork, training, tags);
    }

    /**
     * @param hiddenLayers     the hidden layers, input side first
     * @param outputActivation the output activation; derived from the task when absent
     * @param outputUnits      output units; derived from the task and classes when absent
     * @param initializer      {@code normal}, {@code xavier}, {@code he} or {@code torch_default}; absent means each layer's default
     * @param initializerScale the standard deviation of {@code normal} (default 0.1)
     * @param precision        {@code float64} (default) or {@code float32}: the arithmetic of the matrix products
     */
    public record NetworkConfig(List<HiddenLayerConfig> hiddenLayers, String outputActivation, Integer outputUnits,
                                String initializer, Double initializerScale, String precision) {

        /** A network with every setting absent. */
        public static NetworkConfig empty() {
            return new NetworkConfig(null, null, null, null, null, null);
        }

        /** This network with other hidden layers. */
        public NetworkConfig withHiddenLayers(List<HiddenLayerConfig> layers) {
            return new NetworkConfig(layers, outputActivation, outputUnits, initializer, initializerScale, precision);
        }

        /** This network with another initializer (null for each layer's default). */
        public NetworkConfig withInitializer(String newInitializer) {
            return new NetworkConfig(hiddenLayers, outputActivation, outputUnits, newInitializer, initializerScale, precision);
        }
    }

    /**
     * @param units      neurons in the layer
     * @param activation the activation (default relu)
     * @param dropout    inverted-dropout rate while training (default 0)
     * @param alpha      slope of leaky_relu (default 0.01) or alpha of elu (default 1)
     */
    public record HiddenLayerConfig(Integer units, String activation, Double dropout, Double alpha) {

        /** This layer with another width. */
        public HiddenLayerConfig withUnits(Integer newUnits) {
            return new HiddenLayerConfig(newUnits, activation, dropout, alpha);
        }

        /** This layer with another activation. */
        public HiddenLayerConfig withActivation(String newActivation) {
            return new HiddenLayerConfig(units, newActivation, dropout, alpha);
        }

        /** This layer with another dropout rate. */
        public HiddenLayerConfig withDropout(Double newDropout) {
            return new HiddenLayerConfig(units, activation, newDropout, alpha);
        }

        /** This layer with another slope of leaky_relu or alpha of elu. */
        public HiddenLayerConfig withAlpha(Double newAlpha) {
            return new HiddenLayerConfig(units, activation, dropout, newAlpha);
        }
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
     * @param epochs             passes over the training data (default at most 200, with early stopping)
     * @param batchSize          rows per mini-batch (default min(32, training rows)); at least the training rows
     *                           is full batch, as in the tutorial
     * @param l1                 L1 penalty on weights (default 0)
     * @param l2                 L2 penalty on weights (default 0)
     * @param seed               the random seed; drawn and recorded at submission when absent
     * @param validationFraction rows held out for validation (default 0.1 from 1,000 rows on, otherwise 0)
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
     * @param earlyStopping      early stopping, or null for none (absent in a request: on unless its epochs are named)
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

        /** Training settings with every setting absent, as a request without a training block. */
        public static TrainingConfig empty() {
            return new Draft().build();
        }

        /*
         * Copies with one setting changed (to null for none: full batch, no budget, no early stopping),
         * each through the one Draft below.
         */
        public TrainingConfig withOptimizer(OptimizerType value) { return with(d -> d.optimizer = value); }
        public TrainingConfig withLearningRate(Double value) { return with(d -> d.learningRate = value); }
        public TrainingConfig withMomentum(Double value) { return with(d -> d.momentum = value); }
        public TrainingConfig withEpochs(Integer value) { return with(d -> d.epochs = value); }
        public TrainingConfig withBatchSize(Integer value) { return with(d -> d.batchSize = value); }
        public TrainingConfig withL1(Double value) { return with(d -> d.l1 = value); }
        public TrainingConfig withL2(Double value) { return with(d -> d.l2 = value); }
        public TrainingConfig withSeed(Long value) { return with(d -> d.seed = value); }
        public TrainingConfig withMaxRuntimeSeconds(Integer value) { return with(d -> d.maxRuntimeSeconds = value); }
        public TrainingConfig withEarlyStopping(EarlyStoppingConfig value) { return with(d -> d.earlyStopping = value); }

        /**
         * These settings for a refit on every row, as scikit-learn's {@code refit}: no rows held out, so
         * nothing watches validation data and nothing stops early; the epochs are those the search found
         * best (its trials' early stopping chose them), and no time budget cuts the refit short.
         */
        public TrainingConfig forRefit(int refitEpochs, Long refitSeed) {
            ScheduleConfig refitSchedule = schedule == null || schedule.monitor() == null || !schedule.monitor().startsWith("val_")
                    ? schedule : schedule.withMonitor("loss");
            return with(d -> {
                d.epochs = refitEpochs;
                d.seed = refitSeed;
                d.validationFraction = 0.0;
                d.earlyStopping = null;
                d.schedule = refitSchedule;
                d.maxRuntimeSeconds = null;
            });
        }

        /** A copy of these settings with {@code changes} made to it. */
        private TrainingConfig with(Consumer<Draft> changes) {
            Draft draft = new Draft(this);
            changes.accept(draft);
            return draft.build();
        }

        /**
         * A mutable copy of a {@code TrainingConfig}, behind every {@code with…} method: with ~25
         * components, one constructor call here is read (and kept in component order) once, where a
         * call per method would repeat the whole list and let a swapped pair of same-typed arguments
         * slip by. Private, so a config stays immutable to everyone else.
         */
        private static final class Draft {
            private String loss;
            private OptimizerType optimizer;
            private Double learningRate;
            private Double momentum;
            private Boolean nesterov;
            private Double beta1;
            private Double beta2;
            private Double rho;
            private Double epsilon;
            private Integer epochs;
            private Integer batchSize;
            private Double l1;
            private Double l2;
            private Long seed;
            private Double validationFraction;
            private ValidationSplit validationSplit;
            private Scaling scaling;
            private Imputation imputation;
            private UnknownCategories unknownCategories;
            private EarlyStoppingConfig earlyStopping;
            private ScheduleConfig schedule;
            private Double clipNorm;
            private Integer maxRuntimeSeconds;
            private TargetScalingMode targetScaling;
            private Object classWeights;

            private Draft() {
            }

            private Draft(TrainingConfig c) {
                loss = c.loss;
                optimizer = c.optimizer;
                learningRate = c.learningRate;
                momentum = c.momentum;
                nesterov = c.nesterov;
                beta1 = c.beta1;
                beta2 = c.beta2;
                rho = c.rho;
                epsilon = c.epsilon;
                epochs = c.epochs;
                batchSize = c.batchSize;
                l1 = c.l1;
                l2 = c.l2;
                seed = c.seed;
                validationFraction = c.validationFraction;
                validationSplit = c.validationSplit;
                scaling = c.scaling;
                imputation = c.imputation;
                unknownCategories = c.unknownCategories;
                earlyStopping = c.earlyStopping;
                schedule = c.schedule;
                clipNorm = c.clipNorm;
                maxRuntimeSeconds = c.maxRuntimeSeconds;
                targetScaling = c.targetScaling;
                classWeights = c.classWeights;
            }

            private TrainingConfig build() {
                return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                        batchSize, l1, l2, seed, validationFraction, validationSplit, scaling, imputation, unknownCategories,
                        earlyStopping, schedule, clipNorm, maxRuntimeSeconds, targetScaling, classWeights);
            }
        }
    }

    /**
     * @param monitor  loss, val_loss, metric or val_metric (default val_loss with validation data, else loss)
     * @param mode     min or max (default: the monitor's direction)
     * @param patience epochs without improvement before stopping (default 10)
     * @param minDelta smallest change that counts as an improvement (default 0)
     */
    public record EarlyStoppingConfig(String monitor, Direction mode, Integer patience, Double minDelta) {

        /** The default of a run without validation rows: the training loss, patience 10, minDelta 1e-4 (scikit-learn's tol). */
        public static EarlyStoppingConfig onTrainingLoss() {
            return new EarlyStoppingConfig("loss", Direction.MIN, StoppingDefaults.DEFAULT_PATIENCE,
                    StoppingDefaults.DEFAULT_TRAINING_LOSS_MIN_DELTA);
        }

        /** Whether it watches the training rows only (so it still works once every row is trained on). */
        public boolean watchesTrainingRows() {
            return monitor != null && !monitor.startsWith("val_");
        }
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

        /** This schedule watching another quantity. */
        public ScheduleConfig withMonitor(String newMonitor) {
            return new ScheduleConfig(type, everyEpochs, factor, rate, newMonitor, patience, minDelta, minLearningRate);
        }
    }
}
