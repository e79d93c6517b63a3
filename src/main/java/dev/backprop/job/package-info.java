/**
 * The job aggregate and its lifecycle, the job table, its queue (claims, leases, admission), the runner that owns the threads.
 * Knows job types only through JobExecution, JobSpec and JobInput: imports no training, search, model, dataset, data or nn.
 */
package dev.backprop.job;
