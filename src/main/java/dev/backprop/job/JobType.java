package dev.backprop.job;

/** What a job does. */
public enum JobType {
    /** Train one network. */
    TRAINING,
    /** Train every point of a parameter grid and rank them. */
    GRID_SEARCH,
    /** Train points drawn from a parameter space and rank them. */
    RANDOM_SEARCH,
    /** Train points proposed one after another by a model of the scores so far (Bayesian optimization). */
    BAYESIAN_SEARCH,
    /** A Bayesian search whose space and budget the service chooses from the data and a time budget. */
    AUTO;

    public boolean isSearch() {
        return this != TRAINING;
    }
}
