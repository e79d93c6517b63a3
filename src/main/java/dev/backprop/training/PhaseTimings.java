package dev.backprop.training;

/**
 * Where a training job's time went, in seconds of wall time on its worker, from its claim to its end. The
 * preparation (reading the data set, the split, the pipeline fit and the encoding) is what a job costs beyond the
 * engine's own work, and what issue 16 holds to a tenth of the training time on T4.
 *
 * @param readSeconds        reading the job's data set (its stored columns) from the database
 * @param preparationSeconds from the claim to the first epoch's start: the read, the resolution, the split, the
 *                           pipeline fit, the encoding and the network's initialization
 * @param trainingSeconds    the trainer's run, every epoch with its validation
 * @param evaluationSeconds  the final metrics: the training and validation rows scored, with the baseline's
 * @param storeSeconds       storing the model
 */
public record PhaseTimings(double readSeconds, double preparationSeconds, double trainingSeconds, double evaluationSeconds,
                           double storeSeconds) {

    /** Seconds since {@code startNanos} of {@link System#nanoTime()}, to the millisecond. */
    static double since(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }
}
