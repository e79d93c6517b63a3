package dev.backprop.search;

import dev.backprop.nn.CancellationToken;
import dev.backprop.nn.EpochListener;
import dev.backprop.training.EpochRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The median stopping rule of Google Vizier (Golovin et al., "Google Vizier: A Service for Black-Box
 * Optimization", KDD 2017): a trial is stopped at epoch {@code e} when its best value so far is worse than
 * the median of the completed trials' best values up to epoch {@code e}. Model-free, so it works with any
 * search type. The value is the per-epoch validation metric when that is the ranking metric (accuracy,
 * r2) and the validation loss otherwise, since the history holds no other metric per epoch. Only the
 * first fold of a cross-validated trial is watched, as only its history is kept.
 */
final class MedianStopping {

    static final int DEFAULT_MIN_EPOCHS = 5;
    static final int DEFAULT_MIN_TRIALS = 3;

    private final int minEpochs;
    private final int minTrials;
    private final boolean byMetric;
    private final boolean higherIsBetter;
    /** Each completed trial's best value so far, per epoch (index 0 is epoch 1). */
    private final List<double[]> completed = new ArrayList<>();

    /**
     * @param byMetric       compare the validation metric (the ranking metric's per-epoch value) rather than the loss
     * @param higherIsBetter the search's direction, for the metric; the loss is always lower-is-better
     */
    MedianStopping(int minEpochs, int minTrials, boolean byMetric, boolean higherIsBetter, List<TrialRecord> stored) {
        this.minEpochs = minEpochs;
        this.minTrials = minTrials;
        this.byMetric = byMetric;
        this.higherIsBetter = byMetric && higherIsBetter;
        stored.forEach(this::complete);
    }

    /** Counts a finished trial into the median when it trained its full budget. */
    synchronized void complete(TrialRecord trial) {
        if (!trial.succeeded() || trial.stoppedEarly() || trial.history() == null) {
            return;
        }
        double[] best = bestSoFar(trial.history());
        if (best != null) {
            completed.add(best);
        }
    }

    /** Watches one trial's run: its listener records each epoch, its token then stops the trainer. */
    Watch watch() {
        return new Watch();
    }

    /** One trial's run under the rule. */
    final class Watch implements EpochListener, CancellationToken {
        private double best = Double.NaN;
        private volatile boolean stopped;

        @Override
        public void onEpoch(dev.backprop.nn.EpochMetrics epoch) {
            Double value = value(EpochRecord.of(epoch));
            if (value == null || stopped) {
                return;
            }
            best = Double.isNaN(best) || better(value, best) ? value : best;
            stopped = epoch.epoch() >= minEpochs && worseThanMedian(epoch.epoch(), best);
        }

        /** True once the rule stopped the run (checked by the trainer between batches). */
        @Override
        public boolean isCancellationRequested() {
            return stopped;
        }
    }

    private synchronized boolean worseThanMedian(int epoch, double best) {
        if (completed.size() < minTrials) {
            return false;
        }
        double[] values = new double[completed.size()];
        for (int i = 0; i < values.length; i++) {
            double[] curve = completed.get(i);
            // a trial that ended sooner (early stopping) counts with its final best
            values[i] = curve[Math.min(epoch, curve.length) - 1];
        }
        Arrays.sort(values);
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        return better(median, best);
    }

    private double[] bestSoFar(List<EpochRecord> history) {
        double[] curve = new double[history.size()];
        double best = Double.NaN;
        for (int i = 0; i < curve.length; i++) {
            Double value = value(history.get(i));
            if (value == null) {
                return null;
            }
            best = Double.isNaN(best) || better(value, best) ? value : best;
            curve[i] = best;
        }
        return curve.length == 0 ? null : curve;
    }

    private Double value(EpochRecord epoch) {
        return byMetric ? epoch.validationMetric() : epoch.validationLoss();
    }

    private boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
