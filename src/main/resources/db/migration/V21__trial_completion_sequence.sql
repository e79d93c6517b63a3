-- A search's trials numbered in the order they were stored, 1, 2, 3, … per search (a trial promoted to a higher rung
-- of successive halving takes the next number): the id of each trial's event, from which a follower resumes
-- (Last-Event-ID), and what a replica that does not run the search polls for. TrialRepository assigns it under a
-- lock of the search's job row, in the transaction that stores the trial, so that numbers follow commit order: a
-- reader that sees a number sees every smaller one.
ALTER TABLE search_trial ADD COLUMN completion_sequence BIGINT;
UPDATE search_trial SET completion_sequence = (SELECT COUNT(*) FROM search_trial earlier
    WHERE earlier.job_id = search_trial.job_id AND earlier.trial_index <= search_trial.trial_index);
ALTER TABLE search_trial ALTER COLUMN completion_sequence SET NOT NULL;
CREATE UNIQUE INDEX search_trial_completion ON search_trial (job_id, completion_sequence);
