package dev.backprop.nn;

import java.util.Locale;

/** What a network predicts: class labels or real values. It decides the headline metric. */
public enum Task {
    /** Targets are classes: one 0/1 column for two classes, one-hot columns for more. Headline metric: accuracy. */
    CLASSIFICATION,
    /** Targets are real values. Headline metric: R². */
    REGRESSION;

    /** The lowercase name used in requests. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name of the headline metric reported per epoch: {@code accuracy} or {@code r2}. */
    public String headlineMetricName() {
        return this == CLASSIFICATION ? "accuracy" : "r2";
    }
}
