package dev.backprop.data;

import dev.backprop.nn.Task;
import java.util.List;

/**
 * Infers the task from a target column: strings or booleans mean classification; a fractional
 * number means regression; integers mean classification when they take few distinct values (at most
 * {@link #MAX_CLASSES}, as class codes do) and regression otherwise (counts, prices in cents). A
 * request may always say the task itself.
 */
public final class TaskInference {

    /** Most distinct integers read as class codes. */
    public static final int MAX_CLASSES = 10;

    private TaskInference() {
    }

    /** What the data say; never null for a non-empty column. */
    public static Task fromTargets(List<Object> targets) {
        boolean anyNonNumeric = false;
        boolean anyFraction = false;
        for (Object target : targets) {
            if (!(target instanceof Number number)) {
                anyNonNumeric = true;
            } else if (number instanceof Double d && d != Math.rint(d)) {
                anyFraction = true;
            }
        }
        if (anyNonNumeric) {
            return Task.CLASSIFICATION;
        }
        if (anyFraction) {
            return Task.REGRESSION;
        }
        return ClassLabels.of(targets).size() <= MAX_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
    }
}
