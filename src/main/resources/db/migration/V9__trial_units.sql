-- A search's trials as claimable units of the queue, so that every replica on the database runs them: one row
-- per trial not yet finished, claimed with a lease as a job is (search.TrialQueue). A finished trial's row moves
-- to search_trial in the same transaction, so that the rows left say what the search still waits for.
CREATE TABLE trial_unit (
    job_id           UUID                     NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    trial_index      INT                      NOT NULL,
    -- claim order within the search: longest trial first, so that none is left alone at the end
    position         INT                      NOT NULL,
    params           TEXT                     NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    -- the search's trials at once on each replica
    parallelism      INT                      NOT NULL,
    deadline         TIMESTAMP WITH TIME ZONE,
    attempt          INT                      NOT NULL,
    lease_owner      VARCHAR(64),
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    -- a running trial's latest epoch, a progress hint written with the lease
    epochs_completed INT                      NOT NULL,
    PRIMARY KEY (job_id, trial_index)
);

CREATE INDEX trial_unit_status ON trial_unit (status);

-- The runner (replica) that ran a trial.
ALTER TABLE search_trial ADD COLUMN worker VARCHAR(64);
