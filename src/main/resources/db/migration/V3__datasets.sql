-- Uploaded data sets, trained on many times; a job remembers which one it uses so that a data set in use
-- cannot be deleted.
CREATE TABLE dataset (
    id           UUID PRIMARY KEY,
    name         VARCHAR(200)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    row_count    INT                      NOT NULL,
    column_count INT                      NOT NULL,
    schema       TEXT                     NOT NULL,
    content      TEXT                     NOT NULL
);

CREATE INDEX dataset_created ON dataset (created_at);

ALTER TABLE job ADD COLUMN dataset_id UUID;
