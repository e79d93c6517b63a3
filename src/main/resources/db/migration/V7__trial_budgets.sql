-- Trials that train less than their budget: the successive-halving rung a trial's row is of (the row is
-- replaced as the trial is promoted), the epochs its run trained, and why it stopped short (median
-- stopping, or a rung of halving before the last); null for a trial that trained its full budget.
ALTER TABLE search_trial ADD COLUMN rung INT DEFAULT 0 NOT NULL;
ALTER TABLE search_trial ADD COLUMN epochs INT;
ALTER TABLE search_trial ADD COLUMN stop_reason VARCHAR(32);
