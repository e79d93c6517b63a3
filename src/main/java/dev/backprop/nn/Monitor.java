package dev.backprop.nn;

import java.util.Locale;

/**
 * A per-epoch quantity that early stopping and reduce-on-plateau watch. Losses improve downwards; the
 * headline metrics (accuracy, R²) improve upwards.
 */
public enum Monitor {
    LOSS, VAL_LOSS, METRIC, VAL_METRIC;

    /** The lowercase wire name, e.g. {@code val_loss}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the known monitors when the name is unknown
     */
    public static Monitor named(String name) {
        for (Monitor monitor : values()) {
            if (monitor.wireName().equals(name)) {
                return monitor;
            }
        }
        throw new IllegalArgumentException("unknown monitor '" + name + "'; expected one of loss, val_loss, metric, val_metric");
    }

    /** Whether the quantity needs validation data. */
    public boolean needsValidation() {
        return this == VAL_LOSS || this == VAL_METRIC;
    }

    /** True when larger is better. */
    public boolean higherIsBetter() {
        return this == METRIC || this == VAL_METRIC;
    }

    /** The loss of the rows this metric is measured on: {@code val_loss} for {@code val_metric}, {@code loss} for {@code metric}. */
    Monitor lossOfSameRows() {
        return needsValidation() ? VAL_LOSS : LOSS;
    }

    /** The watched value in an epoch's record; {@code NaN} when it was not measured. */
    double valueIn(EpochMetrics epoch) {
        Double value = switch (this) {
            case LOSS -> epoch.loss();
            case VAL_LOSS -> epoch.validationLoss();
            case METRIC -> epoch.metric();
            case VAL_METRIC -> epoch.validationMetric();
        };
        return value == null ? Double.NaN : value;
    }

    /** Whether {@code candidate} beats {@code best} by more than {@code minDelta} in the natural direction. */
    boolean improves(double candidate, double best, double minDelta) {
        return improves(candidate, best, minDelta, higherIsBetter());
    }

    /** Whether {@code candidate} beats {@code best} by more than {@code minDelta} in the given direction. */
    static boolean improves(double candidate, double best, double minDelta, boolean higherIsBetter) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
    }
}
