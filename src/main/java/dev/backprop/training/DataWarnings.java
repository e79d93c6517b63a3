package dev.backprop.training;

import dev.backprop.model.Warning;
import dev.backprop.nn.Task;

/** The warnings a request and its data call for before anything trains. */
final class DataWarnings {

    /** Fewer validation rows than this rank epochs and settings by noise: one row moves accuracy by more than 3%. */
    static final int MIN_VALIDATION_ROWS = 30;
    /** A most frequent class this many times the rarest one makes accuracy a poor guide. */
    static final int IMBALANCE_RATIO = 10;

    private DataWarnings() {
    }

    static void check(DataPreparation prepared, ResolutionNotes notes) {
        if (prepared.taskInferred()) {
            notes.warn(Warning.TASK_INFERRED, "The task was inferred: " + prepared.taskReason() + ". Send \"task\" to say it yourself.");
        }
        int validation = prepared.validationRowCount();
        if (validation > 0 && validation < MIN_VALIDATION_ROWS) {
            notes.warn(Warning.SMALL_VALIDATION_SET, "Only " + validation + " validation rows: too few to rank epochs or "
                    + "settings (one row moves accuracy by " + Math.round(100.0 / validation) + "%); use more rows, "
                    + "cross-validation (search.folds), or no holdout (validationFraction 0).");
        }
        if (prepared.task() == Task.CLASSIFICATION) {
            int[] counts = prepared.classCounts();
            int most = 0;
            int least = Integer.MAX_VALUE;
            for (int count : counts) {
                most = Math.max(most, count);
                least = Math.min(least, count);
            }
            if (least > 0 && most >= IMBALANCE_RATIO * least) {
                notes.warn(Warning.IMBALANCED_CLASSES, "The classes are badly imbalanced: the most frequent has " + most
                        + " rows, the rarest " + least + ". Accuracy rewards predicting the frequent class; read recall and F1 "
                        + "per class, and weigh the classes (training.classWeights: \"balanced\").");
            }
        }
    }
}
