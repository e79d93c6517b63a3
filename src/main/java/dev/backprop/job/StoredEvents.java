package dev.backprop.job;

import java.util.List;
import java.util.Set;

/**
 * A job type's events as its stored history holds them, under the ids its live events carry (a training job's epochs,
 * a search's trials in the order they were stored): what a follower that resumes after {@code Last-Event-ID} gets
 * first, and what a replica that does not run the job polls for its followers.
 */
public interface StoredEvents {

    /** The job types whose events this reads. */
    Set<JobType> types();

    /** The job's stored events with ids after {@code afterId}, in id order. */
    List<JobEvent> after(Job job, long afterId);
}
