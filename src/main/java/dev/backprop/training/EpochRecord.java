package dev.backprop.training;

import dev.backprop.nn.EpochMetrics;

/**
 * One epoch of a job's history, as stored and reported.
 *
 * @param epoch            the epoch, from 1
 * @param loss             mean training loss (with the L1/L2 penalty)
 * @param validationLoss   validation loss, or null without validation data
 * @param metric           the headline metric on training data (accuracy or r2)
 * @param validationMetric the headline metric on validation data, or null
 * @param learningRate     the learning rate of the epoch
 * @param elapsedMs        milliseconds since training started
 */
public record EpochRecord(int epoch, double loss, Double validationLoss, Double metric, Double validationMetric,
                          double learningRate, long elapsedMs) {

    /** The record of an epoch the trainer reported. */
    public static EpochRecord of(EpochMetrics metrics) {
        return new EpochRecord(metrics.epoch(), metrics.loss(), metrics.validationLoss(), metrics.metric(),
                metrics.validationMetric(), metrics.learningRate(), metrics.elapsedMillis());
    }
}
