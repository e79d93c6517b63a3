package dev.backprop.training;

import java.util.UUID;

/** The data set a queued job refers to was deleted before the job ran (a delete raced the submit). */
public class JobDataMissingException extends RuntimeException {

    public JobDataMissingException(UUID datasetId) {
        super("data set " + datasetId + " was deleted before the job ran");
    }
}
