package dev.backprop.nn;

/**
 * Stop when {@code monitor} has not improved by more than {@code minDelta} for {@code patience}
 * consecutive epochs. The direction comes from the monitor (losses down, metrics up). Whenever early
 * stopping is on, the weights of the best epoch are the result, whatever ended the run.
 *
 * @param monitor  the quantity watched
 * @param patience epochs without improvement tolerated, at least 1
 * @param minDelta the smallest change that counts as an improvement, at least 0
 */
public record EarlyStoppingSpec(Monitor monitor, int patience, double minDelta) {

    public EarlyStoppingSpec {
        if (monitor == null) {
            throw new IllegalArgumentException("earlyStopping.monitor is required");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("earlyStopping.patience must be >= 1, was " + patience);
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("earlyStopping.minDelta must be finite and >= 0, was " + minDelta);
        }
    }
}
