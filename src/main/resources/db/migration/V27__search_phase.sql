-- The phase a running auto search is in (TRIALS, RESCORES, REFIT) and its units done of planned, a progress hint
-- written as trials_done is, so that GET /jobs/{id} and its ETA count the re-scores and the refit's members too.
ALTER TABLE job ADD COLUMN search_phase VARCHAR(16);
ALTER TABLE job ADD COLUMN phase_done INT NOT NULL DEFAULT 0;
ALTER TABLE job ADD COLUMN phase_total INT NOT NULL DEFAULT 0;
