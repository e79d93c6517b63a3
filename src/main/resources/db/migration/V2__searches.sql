-- Hyperparameter searches: progress counters on the job, and one row per finished trial so that a
-- restarted search skips the trials it already ran.
ALTER TABLE job ADD COLUMN trials_total INT;
ALTER TABLE job ADD COLUMN trials_done INT DEFAULT 0 NOT NULL;
ALTER TABLE job ADD COLUMN trials_failed INT DEFAULT 0 NOT NULL;
ALTER TABLE job ADD COLUMN best_score DOUBLE PRECISION;

CREATE TABLE search_trial (
    job_id      UUID          NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    trial_index INT           NOT NULL,
    params      TEXT          NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    score_mean  DOUBLE PRECISION,
    score_std   DOUBLE PRECISION,
    fold_scores TEXT,
    fit_millis  BIGINT        NOT NULL,
    error       VARCHAR(2000),
    seed        BIGINT        NOT NULL,
    history     TEXT,
    PRIMARY KEY (job_id, trial_index)
);
