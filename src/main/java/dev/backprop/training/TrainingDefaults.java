package dev.backprop.training;

import dev.backprop.nn.Loss;
import dev.backprop.nn.OptimizerSpec;
import dev.backprop.nn.Task;
import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.NetworkConfig;
import dev.backprop.training.TrainingJobSpec.ScheduleConfig;
import dev.backprop.training.TrainingJobSpec.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The training part of a request with every default filled in: loss, optimizer and its settings,
 * epochs, batch, penalties, seed, validation split, preprocessing, early stopping and schedule. Every
 * value is checked here, with the field at fault named.
 */
final class TrainingDefaults {

    /**
     * Validation fraction used when absent, from {@link #DEFAULT_VALIDATION_MIN_ROWS} rows on: 10% of a
     * thousand rows is a hundred, enough for a validation loss that ranks epochs; below that, holding rows
     * out cost accuracy on every small public set we measured (BENCHMARKS.md, defaults), so every row trains.
     */
    static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    static final int DEFAULT_VALIDATION_MIN_ROWS = 1000;
    /** Mini-batch rows when absent (Keras' default), at most the training rows. */
    static final int DEFAULT_BATCH_SIZE = 32;

    private final DataPreparation prepared;
    private final RequestLimits limits;
    private final FieldErrors errors;
    private final ResolutionNotes notes;
    private final StoppingDefaults stopping;

    TrainingDefaults(DataPreparation prepared, RequestLimits limits, FieldErrors errors, ResolutionNotes notes) {
        this.prepared = prepared;
        this.limits = limits;
        this.errors = errors;
        this.notes = notes;
        this.stopping = new StoppingDefaults(errors, notes);
    }

    /**
     * The training settings with every default filled in and every value checked; the loss follows the
     * output activation the client asked for (before its own default).
     */
    TrainingConfig resolve(TrainingConfig t, NetworkConfig requestedNetwork) {
        String outputActivation = requestedNetwork == null ? null : requestedNetwork.outputActivation();
        int classes = prepared.classCount();
        Task task = prepared.task();
        String defaultLoss = task == Task.REGRESSION ? "mse"
                : "softmax".equals(outputActivation) || (outputActivation == null && classes > 2) ? "categorical_crossentropy"
                : "sigmoid".equals(outputActivation) || outputActivation == null ? "binary_crossentropy" : "mse";
        String loss = t.loss() != null ? t.loss() : defaultLoss;
        if (t.loss() == null) {
            notes.chose("training.loss", loss + ": " + (task == Task.REGRESSION ? "regression"
                    : loss.equals("categorical_crossentropy") ? classes + " classes with a softmax output" : "two classes"));
        }
        errors.attempt("training.loss", () -> Loss.named(loss));
        OptimizerType optimizer = orDefault(t.optimizer(), OptimizerType.ADAM);
        if (t.optimizer() == null) {
            notes.chose("training.optimizer", "adam: the default of scikit-learn, Keras and PyTorch practice for tabular networks");
        }
        boolean plainGradient = optimizer == OptimizerType.SGD || optimizer == OptimizerType.MOMENTUM;
        double learningRate = t.learningRate() != null ? t.learningRate() : plainGradient ? 0.01 : 0.001;
        if (t.learningRate() == null) {
            notes.chose("training.learningRate", learningRate + ": the usual default of " + optimizer.wireName());
        }
        boolean momentumOptimizer = optimizer == OptimizerType.MOMENTUM;
        boolean adam = optimizer == OptimizerType.ADAM;
        boolean rmsprop = optimizer == OptimizerType.RMSPROP;
        Double momentum = momentumOptimizer ? orDefault(t.momentum(), OptimizerSpec.Momentum.DEFAULT_MOMENTUM) : t.momentum();
        Boolean nesterov = momentumOptimizer ? orDefault(t.nesterov(), false) : t.nesterov();
        Double beta1 = adam ? orDefault(t.beta1(), OptimizerSpec.Adam.DEFAULT_BETA1) : t.beta1();
        Double beta2 = adam ? orDefault(t.beta2(), OptimizerSpec.Adam.DEFAULT_BETA2) : t.beta2();
        Double rho = rmsprop ? orDefault(t.rho(), OptimizerSpec.RmsProp.DEFAULT_RHO) : t.rho();
        Double epsilon = adam ? orDefault(t.epsilon(), OptimizerSpec.Adam.DEFAULT_EPSILON)
                : rmsprop ? orDefault(t.epsilon(), OptimizerSpec.RmsProp.DEFAULT_EPSILON) : t.epsilon();
        for (String unused : unusedOptimizerSettings(optimizer, t)) {
            errors.add("training." + unused, "does not apply to optimizer " + optimizer.wireName());
        }

        boolean epochsGiven = t.epochs() != null;
        int epochs = epochsGiven ? t.epochs() : StoppingDefaults.DEFAULT_EPOCHS;
        if (epochs < 1) {
            errors.add("training.epochs", "must be at least 1, was " + epochs);
        } else {
            limits.checkEpochs(epochs);
        }
        double l1 = t.l1() != null ? t.l1() : 0;
        double l2 = t.l2() != null ? t.l2() : 0;
        long seed = t.seed() != null ? t.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
        if (t.seed() == null) {
            notes.chose("training.seed", seed + ": drawn at submission and recorded, so the run can be repeated");
        }
        int rowCount = prepared.rows();
        double validation = t.validationFraction() != null ? t.validationFraction()
                : rowCount >= DEFAULT_VALIDATION_MIN_ROWS ? DEFAULT_VALIDATION_FRACTION : 0;
        if (t.validationFraction() == null) {
            notes.chose("training.validationFraction", validation > 0
                    ? validation + ": " + rowCount + " rows are enough to hold 10% out and stop on the validation loss"
                    : "0: " + rowCount + " rows are fewer than " + DEFAULT_VALIDATION_MIN_ROWS + ", too few to spare; every row "
                    + "trains (score the model on your own held-out rows with POST /models/{id}/evaluate)");
        }
        if (!(validation >= 0 && validation < 1)) {
            errors.add("training.validationFraction", "must be in [0, 1), was " + validation);
        }
        long trainingRows = Math.round(rowCount * (1 - Math.min(Math.max(validation, 0), 1)));
        Integer batchSize = t.batchSize();
        if (batchSize == null) {
            batchSize = (int) Math.max(1, Math.min(DEFAULT_BATCH_SIZE, trainingRows));
            notes.chose("training.batchSize", batchSize + ": min(" + DEFAULT_BATCH_SIZE + ", training rows), as Keras; small data "
                    + "sets still get several updates per epoch");
        } else if (batchSize < 1) {
            errors.add("training.batchSize", "must be at least 1 (at least the training rows for full batch), was " + batchSize);
        }
        ValidationSplit validationSplit = t.validationSplit() != null ? t.validationSplit()
                : task == Task.CLASSIFICATION ? ValidationSplit.STRATIFIED : ValidationSplit.RANDOM;
        if (validationSplit == ValidationSplit.STRATIFIED && task == Task.REGRESSION) {
            errors.add("training.validationSplit", "stratified needs classes; use random or last for regression");
        }
        Scaling scaling = orDefault(t.scaling(), Scaling.STANDARDIZE);
        Imputation imputation = orDefault(t.imputation(), Imputation.MEAN);
        UnknownCategories unknownCategories = orDefault(t.unknownCategories(), UnknownCategories.IGNORE);
        if (t.scaling() == null) {
            notes.chose("training.scaling", "standardize: numeric features to mean 0 and variance 1 on the training rows, so "
                    + "no feature dominates by its units");
        }
        if (t.imputation() == null) {
            notes.chose("training.imputation", "mean: a missing number takes the training rows' mean, a missing category the most "
                    + "frequent one, so no row is lost");
        }
        if (t.unknownCategories() == null) {
            notes.chose("training.unknownCategories", "ignore: a category unseen in training encodes as all zeros at prediction");
        }
        if (t.validationSplit() == null && validation > 0) {
            notes.chose("training.validationSplit", validationSplit.wireName() + (task == Task.CLASSIFICATION
                    ? ": each class keeps its share in the validation rows" : ": a seeded draw of rows"));
        }
        if (t.l1() == null && t.l2() == null) {
            notes.chose("training.l2", "0: no penalty; early stopping limits overfitting (l2 = alpha / (2 · batchSize) matches "
                    + "scikit-learn's alpha)");
        }
        if (t.schedule() == null) {
            notes.chose("training.schedule", "constant: the learning rate stays as chosen" + (optimizer == OptimizerType.ADAM
                    ? " (adam adapts each weight's step itself)" : ""));
        }
        EarlyStoppingConfig earlyStopping = stopping.earlyStopping(t.earlyStopping(), epochsGiven, validation > 0);
        TargetScalingMode targetScaling = targetScaling(t.targetScaling(), outputActivation);
        Object classWeights = ClassWeights.check(t.classWeights(), prepared, errors, notes);
        ScheduleConfig schedule = stopping.schedule(t.schedule(), validation > 0);
        if (t.clipNorm() != null && !(t.clipNorm() > 0 && Double.isFinite(t.clipNorm()))) {
            errors.add("training.clipNorm", "must be a positive finite number, was " + t.clipNorm());
        }
        if (t.maxRuntimeSeconds() != null && t.maxRuntimeSeconds() < 1) {
            errors.add("training.maxRuntimeSeconds", "must be at least 1, was " + t.maxRuntimeSeconds());
        }
        if (epochs >= 1) {
            limits.checkRowEpochs(trainingRows, epochs);
        }
        return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                batchSize, l1, l2, seed, validation, validationSplit, scaling, imputation, unknownCategories, earlyStopping, schedule,
                t.clipNorm(), t.maxRuntimeSeconds(), targetScaling, classWeights);
    }

    /**
     * Regression targets are standardized by default when the output is linear, whose inverse folds into
     * the output layer: the loss is then on a unit scale whatever the target's, so learning rates and
     * initial weights fit any target (friedman1: R² 0.75 → 0.91 at batch 200, BENCHMARKS.md).
     */
    private TargetScalingMode targetScaling(TargetScalingMode asked, String outputActivation) {
        Task task = prepared.task();
        if (task == Task.CLASSIFICATION) {
            if (asked != null) {
                errors.add("training.targetScaling", "applies to regression only; a class label has no scale");
            }
            return null;
        }
        boolean linear = outputActivation == null || outputActivation.equals("linear");
        if (asked == null) {
            TargetScalingMode chosen = linear ? TargetScalingMode.STANDARDIZE : TargetScalingMode.NONE;
            notes.chose("training.targetScaling", linear
                    ? "standardize: trained on the target standardized with training-row statistics; predictions and metrics "
                    + "stay in the target's units"
                    : "none: a " + outputActivation + " output bounds its values, so the target keeps its own scale");
            return chosen;
        }
        if (asked == TargetScalingMode.STANDARDIZE && !linear) {
            errors.add("training.targetScaling", "standardize needs a linear output, whose inverse folds into the output layer; "
                    + "the output is " + outputActivation);
        }
        return asked;
    }

    private List<String> unusedOptimizerSettings(OptimizerType optimizer, TrainingConfig t) {
        List<String> unused = new ArrayList<>();
        if (optimizer != OptimizerType.MOMENTUM && t.momentum() != null) {
            unused.add("momentum");
        }
        if (optimizer != OptimizerType.MOMENTUM && t.nesterov() != null) {
            unused.add("nesterov");
        }
        if (optimizer != OptimizerType.ADAM && t.beta1() != null) {
            unused.add("beta1");
        }
        if (optimizer != OptimizerType.ADAM && t.beta2() != null) {
            unused.add("beta2");
        }
        if (optimizer != OptimizerType.RMSPROP && t.rho() != null) {
            unused.add("rho");
        }
        if ((optimizer == OptimizerType.SGD || optimizer == OptimizerType.MOMENTUM) && t.epsilon() != null) {
            unused.add("epsilon");
        }
        return unused;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
