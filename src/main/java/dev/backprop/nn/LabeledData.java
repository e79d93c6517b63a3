package dev.backprop.nn;

/**
 * Training examples as two row-major primitive matrices: {@code features} is {@code rows × featureCount},
 * {@code targets} is {@code rows × targetCount}. For classification, targets are a single 0/1 column
 * (two classes, sigmoid output) or one-hot columns (softmax output).
 *
 * <p>The arrays are shared, not copied: callers must not change them while a run uses them.
 */
public record LabeledData(double[] features, double[] targets, int rows, int featureCount, int targetCount) {

    public LabeledData {
        if (rows < 0 || featureCount < 1 || targetCount < 1) {
            throw new IllegalArgumentException("need rows >= 0, featureCount >= 1 and targetCount >= 1");
        }
        if (features.length != rows * featureCount) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + rows + " rows × " + featureCount + " features");
        }
        if (targets.length != rows * targetCount) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, expected "
                    + rows + " rows × " + targetCount + " targets");
        }
    }

    /** Builds data from nested arrays (one inner array per row), copying them. */
    public static LabeledData of(double[][] features, double[][] targets) {
        int rows = features.length;
        int featureCount = rows == 0 ? 1 : features[0].length;
        int targetCount = rows == 0 ? 1 : targets[0].length;
        return new LabeledData(flatten(features, featureCount), flatten(targets, targetCount), rows, featureCount, targetCount);
    }

    /** The rows at {@code indices}, in that order, copied. */
    public LabeledData subset(int[] indices) {
        double[] x = new double[indices.length * featureCount];
        double[] y = new double[indices.length * targetCount];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * featureCount, x, i * featureCount, featureCount);
            System.arraycopy(targets, indices[i] * targetCount, y, i * targetCount, targetCount);
        }
        return new LabeledData(x, y, indices.length, featureCount, targetCount);
    }

    /**
     * The class of a row for stratification: the argmax of one-hot targets, or the rounded value of a
     * single target column.
     */
    public int classOf(int row) {
        if (targetCount == 1) {
            return (int) Math.round(targets[row]);
        }
        return Metrics.argmax(targets, row * targetCount, targetCount);
    }

    private static double[] flatten(double[][] matrix, int cols) {
        double[] flat = new double[matrix.length * cols];
        for (int r = 0; r < matrix.length; r++) {
            if (matrix[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + matrix[r].length + " values, expected " + cols);
            }
            System.arraycopy(matrix[r], 0, flat, r * cols, cols);
        }
        return flat;
    }
}
