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
 * @param lossBreaksTies with a metric monitor: an epoch that equals the best metric (exactly, as small validation
 *                 sets' accuracies do) with a lower loss of the same rows ({@code val_loss} for {@code val_metric},
 *                 {@code loss} for {@code metric}) is an improvement too. An auto search's holdout refit uses it,
 *                 so that it keeps the epoch the search's leaderboard would rank first: score, then validation loss
 */
public record EarlyStoppingSpec(Monitor monitor, Mode mode, int patience, double minDelta, int minEpochs,
                                boolean lossBreaksTies) {

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
        if (lossBreaksTies && !monitor.higherIsBetter()) {
            throw new IllegalArgumentException("earlyStopping.lossBreaksTies needs a metric monitor, was " + monitor.wireName());
        }
    }

    /** Early stopping that may stop the run at any epoch. */
    public EarlyStoppingSpec(Monitor monitor, Mode mode, int patience, double minDelta) {
        this(monitor, mode, patience, minDelta, 0, false);
    }

    /** These settings, never stopping before epoch {@code floor}. */
    public EarlyStoppingSpec withMinEpochs(int floor) {
        return new EarlyStoppingSpec(monitor, mode, patience, minDelta, floor, lossBreaksTies);
    }

    /** These settings, with ties of the (metric) monitor broken by the loss of the same rows. */
    public EarlyStoppingSpec withLossBreakingTies() {
        return new EarlyStoppingSpec(monitor, mode, patience, minDelta, minEpochs, true);
    }

    /** Early stopping in the monitor's natural direction. */
    public EarlyStoppingSpec(Monitor monitor, int patience, double minDelta) {
        this(monitor, null, patience, minDelta);
    }
}
