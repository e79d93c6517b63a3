package dev.backprop.security;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.http.HttpStatus;

/**
 * What a tenant may hold; each names its column in the tenant table and the status a breach answers. The stored
 * ones (data sets, their bytes, models, epoch history) also have a limit for the whole service.
 */
public enum Quota {
    DATASET_BYTES("dataset-bytes", "max_dataset_bytes", HttpStatus.CONTENT_TOO_LARGE),
    MODELS("models", "max_models", HttpStatus.TOO_MANY_REQUESTS),
    ACTIVE_JOBS("active-jobs", "max_active_jobs", HttpStatus.TOO_MANY_REQUESTS),
    CONCURRENT_SEARCHES("concurrent-searches", "max_concurrent_searches", HttpStatus.TOO_MANY_REQUESTS),
    DATASETS("datasets", "max_datasets", HttpStatus.TOO_MANY_REQUESTS),
    /** Stored epochs of training histories (rows, each about 100 bytes on disk). */
    HISTORY_EPOCHS("history-epochs", "max_history_epochs", HttpStatus.TOO_MANY_REQUESTS);

    private final String wireName;
    private final String column;
    private final HttpStatus status;

    Quota(String wireName, String column, HttpStatus status) {
        this.wireName = wireName;
        this.column = column;
        this.status = status;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    String column() {
        return column;
    }

    HttpStatus status() {
        return status;
    }

    /** The configured default limit. */
    long defaultLimit(AccessProperties.Quotas defaults) {
        return switch (this) {
            case DATASET_BYTES -> defaults.datasetBytes();
            case MODELS -> defaults.models();
            case ACTIVE_JOBS -> defaults.activeJobs();
            case CONCURRENT_SEARCHES -> defaults.concurrentSearches();
            case DATASETS -> defaults.datasets();
            case HISTORY_EPOCHS -> defaults.historyEpochs();
        };
    }

    /** The configured limit of the whole service, summed over tenants; none (max) for what ends by itself. */
    long serviceLimit(AccessProperties.ServiceQuotas service) {
        return switch (this) {
            case DATASET_BYTES -> service.datasetBytes();
            case DATASETS -> service.datasets();
            case MODELS -> service.models();
            case HISTORY_EPOCHS -> service.historyEpochs();
            // the queue's capacity bounds these for the whole service (backprop.jobs.queue-capacity)
            case ACTIVE_JOBS, CONCURRENT_SEARCHES -> Long.MAX_VALUE;
        };
    }
}
