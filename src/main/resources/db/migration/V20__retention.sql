-- Retention: a tenant's own limits on its stored data sets and epoch history (null: the configured defaults,
-- backprop.security.quotas), and the number of epochs each job's history holds, kept with the history's writes
-- (training.EpochHistory), so that a quota check sums one row per job instead of counting every epoch.
ALTER TABLE tenant ADD COLUMN max_datasets BIGINT;
ALTER TABLE tenant ADD COLUMN max_history_epochs BIGINT;

CREATE TABLE job_history (
    job_id        UUID   PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    stored_epochs BIGINT NOT NULL
);

INSERT INTO job_history (job_id, stored_epochs) SELECT job_id, COUNT(*) FROM job_epoch GROUP BY job_id;
