package dev.backprop.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an operator can tune, under the {@code backprop} prefix.
 *
 * @param jobs   the training executor and its queue
 * @param limits caps on what one request may ask for
 * @param models the model cache
 * @param events live job events ({@code GET /jobs/{id}/events})
 * @param history what a training run's stored epoch history keeps, and how it is written through an outage
 */
@ConfigurationProperties("backprop")
public record BackpropProperties(@DefaultValue Jobs jobs, @DefaultValue Limits limits, @DefaultValue Models models,
                                 @DefaultValue Events events, @DefaultValue History history) {

    /**
     * @param runnerEnabled    whether this replica trains; false makes an API-only replica
     * @param workers          training threads; 0 means one per available core
     * @param queueCapacity    queued jobs accepted beyond the running ones before {@code POST /jobs} answers 429
     * @param leaseDuration    how long a claim holds without renewal; a job whose lease ran out is taken up again
     * @param heartbeatInterval how often running jobs renew their lease and look for cancel requests from other replicas
     * @param pollInterval     how often the runner looks for queued work (submits on this replica also wake it at once)
     * @param maxAttempts      claims of one job before it is failed instead of taken up again
     * @param retryAfter       the {@code Retry-After} a full service answers with
     * @param historyFlushInterval how often a running job's epoch history is written to the database
     * @param warmUp           whether, once the service is ready, a tiny synthetic job goes through the submit's and the
     *                         runner's code in memory (stored nothing, seen nowhere), so that the first user's job does not
     *                         pay for loading and compiling that code
     */
    public record Jobs(@DefaultValue("true") boolean runnerEnabled,
                       @DefaultValue("0") int workers,
                       @DefaultValue("32") int queueCapacity,
                       @DefaultValue("30s") Duration leaseDuration,
                       @DefaultValue("5s") Duration heartbeatInterval,
                       @DefaultValue("1s") Duration pollInterval,
                       @DefaultValue("3") int maxAttempts,
                       @DefaultValue("5s") Duration retryAfter,
                       @DefaultValue("250ms") Duration historyFlushInterval,
                       @DefaultValue("true") boolean warmUp) {

        /** The effective number of training threads. */
        public int effectiveWorkers() {
            return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * @param maxRequestBytes largest request body; larger ones get 413 before they are parsed
     * @param maxRows         rows of inline data per request
     * @param maxEpochs       epochs of one training run
     * @param maxHiddenLayers hidden layers of one network
     * @param maxUnitsPerLayer units of one layer
     * @param maxParameters   weights and biases of one network
     * @param maxRowEpochs    training rows × epochs of one run, a budget for the work one job can ask for
     * @param maxTrials       trials of one search
     * @param maxColumns      columns of one data set
     * @param maxFieldLength  characters of one CSV field
     * @param maxConcurrentUploads request bodies over 64 KB (or of unknown length) read at once; more wait up to 1 s, then get 503
     * @param bodyReadTimeout time a request may wait for its body to arrive (its parsing not counted) before it gets 408
     */
    public record Limits(@DefaultValue("10485760") long maxRequestBytes,
                         @DefaultValue("200000") int maxRows,
                         @DefaultValue("100000") int maxEpochs,
                         @DefaultValue("16") int maxHiddenLayers,
                         @DefaultValue("4096") int maxUnitsPerLayer,
                         @DefaultValue("5000000") long maxParameters,
                         @DefaultValue("100000000") long maxRowEpochs,
                         @DefaultValue("1000") int maxTrials,
                         @DefaultValue("1000") int maxColumns,
                         @DefaultValue("10000") int maxFieldLength,
                         @DefaultValue("8") int maxConcurrentUploads,
                         @DefaultValue("30s") Duration bodyReadTimeout) {
    }

    /**
     * @param cacheSize trained models kept loaded for prediction
     */
    public record Models(@DefaultValue("32") int cacheSize) {
    }

    /**
     * @param bufferSize  events of a job kept for its followers; one that falls further behind skips to the oldest kept
     * @param dispatchers threads that write events to followers, each blocked at most by one follower that does not read
     * @param dispatchInterval how often followers are handed their new events (the most an event waits)
     * @param pollInterval how often a follower of a job that runs on another replica (or waits) reads its new stored
     *                     events and status from the database
     */
    public record Events(@DefaultValue("1024") int bufferSize, @DefaultValue("16") int dispatchers,
                         @DefaultValue("20ms") Duration dispatchInterval, @DefaultValue("1s") Duration pollInterval) {
    }

    /**
     * @param exactEpochs   epochs of a run stored one by one, from the first
     * @param thinnedEpochs epochs stored at most beyond those, evenly spaced (every k-th), besides the last and the best
     *                      epoch (training.HistoryThinning); live events still carry every epoch
     * @param retryInterval how often a running job tries again to write its history, and at its end its model and status,
     *                      while the database is unreachable (each try waits up to Hikari's connection timeout)
     */
    public record History(@DefaultValue("10000") int exactEpochs, @DefaultValue("10000") int thinnedEpochs,
                          @DefaultValue("5s") Duration retryInterval) {
    }
}
