package dev.backprop.job;

import java.util.UUID;

/**
 * The rows a job works on, stored with the job (apart from its spec) when it is submitted, so that an
 * accepted job never depends on anything a client may still change.
 */
public interface JobInput {

    /** The stored data set the rows come from, or null for rows sent with the request. */
    UUID datasetId();

    /**
     * What the job table keeps: the input itself, or only its reference when the rows live in a stored
     * data set (which never changes and cannot be deleted while a queued or running job uses it).
     */
    JobInput storedForm();
}
