-- What breaks ties between trials with the same score: the validation loss at the best epoch (mean over
-- folds), then the parameter count; and the best epoch itself, which a refit trains for.
ALTER TABLE search_trial ADD COLUMN validation_loss DOUBLE PRECISION;
ALTER TABLE search_trial ADD COLUMN parameter_count BIGINT;
ALTER TABLE search_trial ADD COLUMN best_epoch INT;
