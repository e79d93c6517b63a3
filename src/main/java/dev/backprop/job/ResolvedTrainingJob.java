package dev.backprop.job;

/**
 * A validated training request with every default filled in: what a job stores and runs.
 *
 * @param spec           the request with defaults
 * @param task           the task trained
 * @param taskInferred   whether the task was inferred rather than given
 * @param data           what was read from the data
 * @param parameterCount trainable weights and biases
 */
public record ResolvedTrainingJob(TrainingJobSpec spec, String task, boolean taskInferred, DataSummary data,
                                  long parameterCount) {
}
