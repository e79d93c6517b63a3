-- When the phase a running auto search is in expects to end, by the phase's own estimate (the refit: its members' measured
-- times, each within its share of the budget), a progress hint written with search_phase, so that the ETA of
-- GET /jobs/{id} in that phase is the phase's estimate rather than one made from the trials' times.
ALTER TABLE job ADD COLUMN phase_ends_at TIMESTAMP WITH TIME ZONE;
