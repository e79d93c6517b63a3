/**
 * The job aggregate and its lifecycle, the job table that is the queue, the runner that owns the training threads.
 * Knows job types only through JobExecution, JobSpec and JobInput: imports no training, search, model, dataset, data or nn.
 */
package dev.backprop.job;
