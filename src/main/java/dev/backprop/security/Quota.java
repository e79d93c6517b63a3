package dev.backprop.security;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.http.HttpStatus;

/** What a tenant may hold; each names its column in the tenant table and the status a breach answers. */
public enum Quota {
    DATASET_BYTES("dataset-bytes", "max_dataset_bytes", HttpStatus.CONTENT_TOO_LARGE),
    MODELS("models", "max_models", HttpStatus.TOO_MANY_REQUESTS),
    ACTIVE_JOBS("active-jobs", "max_active_jobs", HttpStatus.TOO_MANY_REQUESTS),
    CONCURRENT_SEARCHES("concurrent-searches", "max_concurrent_searches", HttpStatus.TOO_MANY_REQUESTS);

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
        };
    }
}
