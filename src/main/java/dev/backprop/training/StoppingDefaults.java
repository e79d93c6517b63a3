package dev.backprop.training;

import dev.backprop.training.TrainingJobSpec.EarlyStoppingConfig;
import dev.backprop.training.TrainingJobSpec.ScheduleConfig;

/**
 * When a run stops and how its learning rate moves, with every default filled in: early stopping (on by
 * default unless the request names its epochs) and the schedule, both of which watch a monitor.
 */
final class StoppingDefaults {

    /** Most epochs when the request names none; early stopping usually ends the run sooner. */
    static final int DEFAULT_EPOCHS = 200;
    static final int DEFAULT_PATIENCE = 10;
    /** The smallest training-loss improvement that counts, when early stopping watches the training loss (scikit-learn's tol). */
    static final double DEFAULT_TRAINING_LOSS_MIN_DELTA = 1e-4;

    private final FieldErrors errors;
    private final ResolutionNotes notes;

    StoppingDefaults(FieldErrors errors, ResolutionNotes notes) {
        this.errors = errors;
        this.notes = notes;
    }

    /**
     * Early stopping as asked, with its gaps filled; when absent, on unless the request named its epochs
     * (then every epoch runs, as the tutorial's examples expect). The best epoch's weights become the model.
     */
    EarlyStoppingConfig earlyStopping(EarlyStoppingConfig asked, boolean epochsGiven, boolean hasValidation) {
        if (asked == null && epochsGiven) {
            notes.chose("training.earlyStopping", "none: the request names its epochs, so every epoch runs");
            notes.chose("training.epochs", "as given");
            return null;
        }
        if (asked == null) {
            notes.chose("training.epochs", DEFAULT_EPOCHS + " at most; early stopping ends the run when it stops improving");
            notes.chose("training.earlyStopping", hasValidation
                    ? "val_loss, patience " + DEFAULT_PATIENCE + ": stops when the validation loss has not improved for "
                    + DEFAULT_PATIENCE + " epochs and keeps the best epoch's weights"
                    : "loss, patience " + DEFAULT_PATIENCE + ", minDelta " + DEFAULT_TRAINING_LOSS_MIN_DELTA + ": without "
                    + "validation rows, stops when the training loss improves by less than that for " + DEFAULT_PATIENCE
                    + " epochs (scikit-learn's tol) and keeps the best epoch's weights");
            return hasValidation ? new EarlyStoppingConfig("val_loss", Direction.MIN, DEFAULT_PATIENCE, 0.0)
                    : EarlyStoppingConfig.onTrainingLoss();
        }
        String monitor = asked.monitor() != null ? asked.monitor() : hasValidation ? "val_loss" : "loss";
        Direction mode = asked.mode() != null ? asked.mode() : monitor.endsWith("loss") ? Direction.MIN : Direction.MAX;
        return new EarlyStoppingConfig(monitor, mode, orDefault(asked.patience(), DEFAULT_PATIENCE), orDefault(asked.minDelta(), 0.0));
    }

    /** The learning-rate schedule as asked, with its gaps filled (constant when absent). */
    ScheduleConfig schedule(ScheduleConfig s, boolean hasValidation) {
        if (s != null && s.type() == null) {
            errors.add("training.schedule.type", "is required: " + WireName.alternatives(ScheduleType.class, " or "));
        }
        ScheduleType type = s == null || s.type() == null ? ScheduleType.CONSTANT : s.type();
        return switch (type) {
            case CONSTANT -> new ScheduleConfig(ScheduleType.CONSTANT, null, null, null, null, null, null, null);
            case STEP -> new ScheduleConfig(ScheduleType.STEP, orDefault(s.everyEpochs(), 10), orDefault(s.factor(), 0.5), null, null,
                    null, null, null);
            case EXPONENTIAL -> new ScheduleConfig(ScheduleType.EXPONENTIAL, null, null, orDefault(s.rate(), 0.95), null, null, null,
                    null);
            case REDUCE_ON_PLATEAU -> new ScheduleConfig(ScheduleType.REDUCE_ON_PLATEAU, null, orDefault(s.factor(), 0.5), null,
                    s.monitor() != null ? s.monitor() : hasValidation ? "val_loss" : "loss", orDefault(s.patience(), 5),
                    orDefault(s.minDelta(), 0.0), orDefault(s.minLearningRate(), 0.0));
        };
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
