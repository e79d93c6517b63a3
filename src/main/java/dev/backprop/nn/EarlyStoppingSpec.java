package dev.backprop.nn;

/**
 * Stop when {@code monitor} has not improved by more than {@code minDelta} for {@code patience}
 * consecutive epochs. Whenever early stopping is on, the weights of the best epoch are the result,
 * whatever ended the run.
 *
 * @param monitor  the quantity watched
 * @param mode     whether lower ({@code MIN}) or higher ({@code MAX}) is better; {@code null} takes
 *                 the monitor's natural direction (losses down, metrics up), like Keras' {@code auto}
 * @param patience epochs without improvement tolerated, at least 1
 * @param minDelta the smallest change that counts as an improvement, at least 0
 * @param minEpochs the run does not stop before this epoch, however long it went without improving (0: no
 *                 floor); the best epoch's weights are still the result. A search's refit uses it: it has
 *                 learnt from the trials how many epochs the parameters need at least (Keras' {@code start_from_epoch}
 *                 is close, but also ignores the epochs before it when choosing the best weights)
 */
public record EarlyStoppingSpec(Monitor monitor, Mode mode, int patience, double minDelta, int minEpochs) {

    /** The direction of improvement. */
    public enum Mode {
        MIN, MAX
    }

    public EarlyStoppingSpec {
        if (monitor == null) {
            throw new IllegalArgumentException("earlyStopping.monitor is required");
        }
        if (mode == null) {
            mode = monitor.higherIsBetter() ? Mode.MAX : Mode.MIN;
        }
        if (patience < 1) {
            throw new IllegalArgumentException("earlyStopping.patience must be >= 1, was " + patience);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("earlyStopping.minDelta must be finite and >= 0, was " + minDelta);
        }
        if (minEpochs < 0) {
            throw new IllegalArgumentException("earlyStopping.minEpochs must be >= 0, was " + minEpochs);
        }
    }

    /** Early stopping that may stop the run at any epoch. */
    public EarlyStoppingSpec(Monitor monitor, Mode mode, int patience, double minDelta) {
        this(monitor, mode, patience, minDelta, 0);
    }

    /** These settings, never stopping before epoch {@code floor}. */
    public EarlyStoppingSpec withMinEpochs(int floor) {
        return new EarlyStoppingSpec(monitor, mode, patience, minDelta, floor);
    }

    /** Early stopping in the monitor's natural direction. */
    public EarlyStoppingSpec(Monitor monitor, int patience, double minDelta) {
        this(monitor, null, patience, minDelta);
    }
}
