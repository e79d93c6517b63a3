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

    /** Validation fraction used when absent, from {@link #DEFAULT_VALIDATION_MIN_ROWS} rows on. */
    static final double DEFAULT_VALIDATION_FRACTION = 0.2;
    static final int DEFAULT_VALIDATION_MIN_ROWS = 20;
    static final int DEFAULT_EPOCHS = 100;
    static final int DEFAULT_PATIENCE = 10;

    private final DataPreparation prepared;
    private final RequestLimits limits;
    private final FieldErrors errors;

    TrainingDefaults(DataPreparation prepared, RequestLimits limits, FieldErrors errors) {
        this.prepared = prepared;
        this.limits = limits;
        this.errors = errors;
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
        errors.attempt("training.loss", () -> Loss.named(loss));
        String optimizer = t.optimizer() != null ? t.optimizer() : "adam";
        if (!List.of("sgd", "momentum", "rmsprop", "adam").contains(optimizer)) {
            errors.add("training.optimizer", "unknown optimizer '" + optimizer + "'; expected one of sgd, momentum, rmsprop, adam");
        }
        double learningRate = t.learningRate() != null ? t.learningRate()
                : optimizer.equals("sgd") || optimizer.equals("momentum") ? 0.01 : 0.001;
        Double momentum = optimizer.equals("momentum") ? orDefault(t.momentum(), OptimizerSpec.Momentum.DEFAULT_MOMENTUM) : t.momentum();
        Boolean nesterov = optimizer.equals("momentum") ? orDefault(t.nesterov(), false) : t.nesterov();
        Double beta1 = optimizer.equals("adam") ? orDefault(t.beta1(), OptimizerSpec.Adam.DEFAULT_BETA1) : t.beta1();
        Double beta2 = optimizer.equals("adam") ? orDefault(t.beta2(), OptimizerSpec.Adam.DEFAULT_BETA2) : t.beta2();
        Double rho = optimizer.equals("rmsprop") ? orDefault(t.rho(), OptimizerSpec.RmsProp.DEFAULT_RHO) : t.rho();
        Double epsilon = optimizer.equals("adam") ? orDefault(t.epsilon(), OptimizerSpec.Adam.DEFAULT_EPSILON)
                : optimizer.equals("rmsprop") ? orDefault(t.epsilon(), OptimizerSpec.RmsProp.DEFAULT_EPSILON) : t.epsilon();
        for (String unused : unusedOptimizerSettings(optimizer, t)) {
            errors.add("training." + unused, "does not apply to optimizer " + optimizer);
        }

        int epochs = t.epochs() != null ? t.epochs() : DEFAULT_EPOCHS;
        if (epochs < 1) {
            errors.add("training.epochs", "must be at least 1, was " + epochs);
        } else {
            limits.checkEpochs(epochs);
        }
        if (t.batchSize() != null && t.batchSize() < 1) {
            errors.add("training.batchSize", "must be at least 1 (or absent for full batch), was " + t.batchSize());
        }
        double l1 = t.l1() != null ? t.l1() : 0;
        double l2 = t.l2() != null ? t.l2() : 0;
        long seed = t.seed() != null ? t.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
        int rowCount = prepared.rows();
        double validation = t.validationFraction() != null ? t.validationFraction()
                : rowCount >= DEFAULT_VALIDATION_MIN_ROWS ? DEFAULT_VALIDATION_FRACTION : 0;
        if (!(validation >= 0 && validation < 1)) {
            errors.add("training.validationFraction", "must be in [0, 1), was " + validation);
        }
        String validationSplit = t.validationSplit() != null ? t.validationSplit()
                : task == Task.CLASSIFICATION ? "stratified" : "random";
        if (!List.of("stratified", "random", "last").contains(validationSplit)) {
            errors.add("training.validationSplit", "must be stratified, random or last, was '" + validationSplit + "'");
        } else if (validationSplit.equals("stratified") && task == Task.REGRESSION) {
            errors.add("training.validationSplit", "stratified needs classes; use random or last for regression");
        }
        String scaling = orDefault(t.scaling(), "standardize");
        if (!List.of("standardize", "minmax", "none").contains(scaling)) {
            errors.add("training.scaling", "must be standardize, minmax or none, was '" + scaling + "'");
        }
        String imputation = orDefault(t.imputation(), "mean");
        if (!List.of("mean", "median", "drop").contains(imputation)) {
            errors.add("training.imputation", "must be mean, median or drop, was '" + imputation + "'");
        }
        String unknownCategories = orDefault(t.unknownCategories(), "ignore");
        if (!List.of("ignore", "reject").contains(unknownCategories)) {
            errors.add("training.unknownCategories", "must be ignore or reject, was '" + unknownCategories + "'");
        }
        EarlyStoppingConfig earlyStopping = null;
        if (t.earlyStopping() != null) {
            EarlyStoppingConfig e = t.earlyStopping();
            earlyStopping = new EarlyStoppingConfig(e.monitor() != null ? e.monitor() : validation > 0 ? "val_loss" : "loss",
                    e.mode(), orDefault(e.patience(), DEFAULT_PATIENCE), orDefault(e.minDelta(), 0.0));
        }
        ScheduleConfig schedule = resolveSchedule(t.schedule(), validation > 0);
        if (t.clipNorm() != null && !(t.clipNorm() > 0 && Double.isFinite(t.clipNorm()))) {
            errors.add("training.clipNorm", "must be a positive finite number, was " + t.clipNorm());
        }
        if (t.maxRuntimeSeconds() != null && t.maxRuntimeSeconds() < 1) {
            errors.add("training.maxRuntimeSeconds", "must be at least 1, was " + t.maxRuntimeSeconds());
        }
        long trainingRows = Math.round(rowCount * (1 - Math.min(Math.max(validation, 0), 1)));
        if (epochs >= 1) {
            limits.checkRowEpochs(trainingRows, epochs);
        }
        return new TrainingConfig(loss, optimizer, learningRate, momentum, nesterov, beta1, beta2, rho, epsilon, epochs,
                t.batchSize(), l1, l2, seed, validation, validationSplit, scaling, imputation, unknownCategories, earlyStopping, schedule, t.clipNorm(),
                t.maxRuntimeSeconds());
    }

    private List<String> unusedOptimizerSettings(String optimizer, TrainingConfig t) {
        List<String> unused = new ArrayList<>();
        if (!optimizer.equals("momentum") && t.momentum() != null) {
            unused.add("momentum");
        }
        if (!optimizer.equals("momentum") && t.nesterov() != null) {
            unused.add("nesterov");
        }
        if (!optimizer.equals("adam") && t.beta1() != null) {
            unused.add("beta1");
        }
        if (!optimizer.equals("adam") && t.beta2() != null) {
            unused.add("beta2");
        }
        if (!optimizer.equals("rmsprop") && t.rho() != null) {
            unused.add("rho");
        }
        if ((optimizer.equals("sgd") || optimizer.equals("momentum")) && t.epsilon() != null) {
            unused.add("epsilon");
        }
        return unused;
    }

    private ScheduleConfig resolveSchedule(ScheduleConfig s, boolean hasValidation) {
        if (s == null || s.type() == null || s.type().equals("constant")) {
            if (s != null && s.type() == null) {
                errors.add("training.schedule.type", "is required: constant, step, exponential or reduce_on_plateau");
            }
            return new ScheduleConfig("constant", null, null, null, null, null, null, null);
        }
        return switch (s.type()) {
            case "step" -> new ScheduleConfig("step", orDefault(s.everyEpochs(), 10), orDefault(s.factor(), 0.5), null, null, null, null, null);
            case "exponential" -> new ScheduleConfig("exponential", null, null, orDefault(s.rate(), 0.95), null, null, null, null);
            case "reduce_on_plateau" -> new ScheduleConfig("reduce_on_plateau", null, orDefault(s.factor(), 0.5), null,
                    s.monitor() != null ? s.monitor() : hasValidation ? "val_loss" : "loss", orDefault(s.patience(), 5),
                    orDefault(s.minDelta(), 0.0), orDefault(s.minLearningRate(), 0.0));
            default -> {
                errors.add("training.schedule.type", "unknown schedule '" + s.type()
                        + "'; expected one of constant, step, exponential, reduce_on_plateau");
                yield s;
            }
        };
    }

    /** A request without a training block: every setting absent. */
    static TrainingConfig emptyTraining() {
        return new TrainingConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
