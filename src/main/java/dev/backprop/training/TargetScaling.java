package dev.backprop.training;

import dev.backprop.nn.LabeledData;
import dev.backprop.nn.Network;

/**
 * A regression target standardized with its training rows' mean and standard deviation: the network
 * trains on {@code (y − mean) / scale}, and afterwards the inverse is folded into its linear output layer
 * ({@code W ← scale·W}, {@code b ← scale·b + mean}), so the stored model predicts in the target's units and
 * needs nothing new to serve.
 *
 * @param mean  the training rows' mean target
 * @param scale their standard deviation (population), or 1 for a constant target
 */
record TargetScaling(double mean, double scale) {

    /** Fits on the targets of {@code trainingRows} (one target per row). */
    static TargetScaling fit(double[] targets, int[] trainingRows) {
        double sum = 0;
        for (int row : trainingRows) {
            sum += targets[row];
        }
        double mean = sum / trainingRows.length;
        double squares = 0;
        for (int row : trainingRows) {
            double d = targets[row] - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / trainingRows.length);
        return new TargetScaling(mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    double[] standardize(double[] targets) {
        double[] scaled = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            scaled[i] = (targets[i] - mean) / scale;
        }
        return scaled;
    }

    /** The same rows with their targets back in the target's units. */
    LabeledData restore(LabeledData scaled) {
        double[] targets = new double[scaled.targets().length];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = scaled.targets()[i] * scale + mean;
        }
        return scaled.withTargets(targets);
    }

    /** Folds the inverse standardization into the network's linear output layer (its last weight and bias slots). */
    void foldInto(Network network) {
        double[][] parameters = network.parameters();
        double[] outputWeights = parameters[parameters.length - 2];
        double[] outputBiases = parameters[parameters.length - 1];
        for (int i = 0; i < outputWeights.length; i++) {
            outputWeights[i] *= scale;
        }
        for (int i = 0; i < outputBiases.length; i++) {
            outputBiases[i] = outputBiases[i] * scale + mean;
        }
        network.restore(parameters);
    }
}
