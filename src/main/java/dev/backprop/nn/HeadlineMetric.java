package dev.backprop.nn;

/**
 * Accumulates the task's headline metric over batches: accuracy for classification (threshold 0.5 on
 * one output, argmax on several), R² averaged over outputs for regression.
 */
final class HeadlineMetric {

    private final Task task;
    private final int outputs;
    private long rows;
    private long correct;
    private final double[] targetSum;
    private final double[] targetSquareSum;
    private final double[] squaredError;

    HeadlineMetric(Task task, int outputs) {
        this.task = task;
        this.outputs = outputs;
        this.targetSum = new double[outputs];
        this.targetSquareSum = new double[outputs];
        this.squaredError = new double[outputs];
    }

    void reset() {
        rows = 0;
        correct = 0;
        java.util.Arrays.fill(targetSum, 0);
        java.util.Arrays.fill(targetSquareSum, 0);
        java.util.Arrays.fill(squaredError, 0);
    }

    /** Adds {@code batchRows} rows of predictions and targets, both {@code batchRows × outputs}. */
    void add(double[] predictions, double[] targets, int batchRows) {
        rows += batchRows;
        if (task == Task.CLASSIFICATION) {
            for (int r = 0; r < batchRows; r++) {
                int offset = r * outputs;
                boolean hit = outputs == 1
                        ? (predictions[offset] >= Metrics.DEFAULT_THRESHOLD) == (targets[offset] >= 0.5)
                        : Metrics.argmax(predictions, offset, outputs) == Metrics.argmax(targets, offset, outputs);
                if (hit) {
                    correct++;
                }
            }
            return;
        }
        for (int r = 0; r < batchRows; r++) {
            for (int o = 0; o < outputs; o++) {
                double y = targets[r * outputs + o];
                double d = predictions[r * outputs + o] - y;
                targetSum[o] += y;
                targetSquareSum[o] += y * y;
                squaredError[o] += d * d;
            }
        }
    }

    double value() {
        if (rows == 0) {
            return Double.NaN;
        }
        if (task == Task.CLASSIFICATION) {
            return (double) correct / rows;
        }
        double r2 = 0;
        for (int o = 0; o < outputs; o++) {
            double sst = Math.max(0, targetSquareSum[o] - targetSum[o] * targetSum[o] / rows);
            r2 += Metrics.rSquared(squaredError[o], sst) / outputs;
        }
        return r2;
    }
}
