package dev.backprop.search;

import dev.backprop.model.MetricsReport;
import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Metrics;
import dev.backprop.nn.Task;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How much a holdout score would move with other validation rows: the standard deviation of the metric
 * over bootstrap resamples of the validation rows (Efron and Tibshirani, 1993), so that a search on one
 * holdout reports a spread beside its score as a cross-validated one does across folds.
 */
final class HoldoutSpread {

    /** Resamples drawn: enough for a standard deviation to about ±7% (1/√(2·100)), cheap beside a trial's training. */
    static final int RESAMPLES = 100;

    private HoldoutSpread() {
    }

    /**
     * The bootstrap standard deviation of {@code metric} for a model whose outputs on {@code validation} are
     * {@code outputs} ({@code rows × targetCount}); null when the metric is undefined on a resample.
     */
    static Double of(SearchMetric metric, double[] outputs, LabeledData validation, Task task, List<Object> labels, long seed) {
        int rows = validation.rows();
        int outputsPerRow = validation.targetCount();
        double[] sampleOutputs = new double[outputs.length];
        double[] sampleTargets = new double[validation.targets().length];
        SplittableRandom random = new SplittableRandom(seed);
        double sum = 0;
        double sumOfSquares = 0;
        for (int resample = 0; resample < RESAMPLES; resample++) {
            for (int r = 0; r < rows; r++) {
                int row = random.nextInt(rows);
                System.arraycopy(outputs, row * outputsPerRow, sampleOutputs, r * outputsPerRow, outputsPerRow);
                System.arraycopy(validation.targets(), row * outputsPerRow, sampleTargets, r * outputsPerRow, outputsPerRow);
            }
            Double value = metric.valueIn(MetricsReport.of(Metrics.evaluate(task, sampleOutputs, sampleTargets, rows, outputsPerRow),
                    labels, rows));
            if (value == null || !Double.isFinite(value)) {
                return null;
            }
            sum += value;
            sumOfSquares += value * value;
        }
        double mean = sum / RESAMPLES;
        return Math.sqrt(Math.max(0, sumOfSquares / RESAMPLES - mean * mean));
    }
}
