package dev.backprop.model;

/**
 * Something a user should know about a job or a model that is not an error: a stable {@code code} to
 * act on in code, and a sentence that says what happened and what to do.
 */
public record Warning(String code, String message) {

    /** The task was inferred from the request or the target column. */
    public static final String TASK_INFERRED = "task-inferred";
    /** Too few validation rows to rank settings or to trust the validation metrics. */
    public static final String SMALL_VALIDATION_SET = "small-validation-set";
    /** The rarest class is far rarer than the most frequent one. */
    public static final String IMBALANCED_CLASSES = "imbalanced-classes";
    /** The model does not beat the trivial baseline on the rows it was judged on. */
    public static final String NO_BETTER_THAN_BASELINE = "no-better-than-baseline";
    /** The loss was still falling at the last epoch. */
    public static final String NOT_CONVERGED = "not-converged";
    /** Training stopped because the time budget ran out. */
    public static final String TIME_BUDGET = "time-budget";
    /** The best trials of a search tie on the ranking metric. */
    public static final String TIED_TRIALS = "tied-trials";
}
