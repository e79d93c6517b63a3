package dev.backprop.nn;

/**
 * What one finished epoch measured. The training loss and metric are averaged over the epoch's
 * mini-batches as they were trained (Keras' convention; dropout on), the validation ones are computed
 * on the whole validation set after the epoch (dropout off). Losses include the L1/L2 penalty.
 *
 * @param epoch            the epoch, numbered from 1
 * @param loss             mean training loss
 * @param validationLoss   validation loss, or {@code null} without validation data
 * @param metric           the task's headline metric on training data ({@link Task#headlineMetricName()})
 * @param validationMetric the headline metric on validation data, or {@code null}
 * @param learningRate     the learning rate used in this epoch
 * @param elapsedMillis    wall-clock time since training started
 */
public record EpochMetrics(int epoch, double loss, Double validationLoss, double metric, Double validationMetric,
                           double learningRate, long elapsedMillis) {
}
