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

    /**
     * Why {@link #fromTargets} decides as it does, in a sentence that says how to override it, e.g.
     * "the target holds 3 distinct integers (at most 10 read as class codes)".
     */
    public static String explain(List<Object> targets) {
        int distinct = ClassLabels.of(targets).size();
        boolean anyNonNumeric = targets.stream().anyMatch(t -> !(t instanceof Number));
        if (anyNonNumeric) {
            return "classification, because the target holds text or booleans (" + distinct + " distinct values)";
        }
        boolean anyFraction = targets.stream().anyMatch(t -> t instanceof Double d && d != Math.rint(d));
        if (anyFraction) {
            return "regression, because the target holds fractional numbers";
        }
        return distinct <= MAX_CLASSES
                ? "classification, because the target holds " + distinct + " distinct integers (at most " + MAX_CLASSES
                + " are read as class codes); if they are counts or another ordered quantity, send \"task\": \"regression\""
                : "regression, because the target holds " + distinct + " distinct integers (more than " + MAX_CLASSES
                + " read as class codes); send \"task\": \"classification\" if they are class codes";
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
