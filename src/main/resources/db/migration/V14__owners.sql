-- The tenant that owns each job, data set and model (every read filters by it); what existed before keys
-- belongs to the default tenant. Trials and epochs belong to their job. A job records the key names that
-- created and cancelled it (the audit), and a data set its stored size (the dataset-bytes quota).
ALTER TABLE job ADD COLUMN owner VARCHAR(64) DEFAULT 'default' NOT NULL;
ALTER TABLE job ADD COLUMN created_by VARCHAR(200);
ALTER TABLE job ADD COLUMN cancelled_by VARCHAR(200);
ALTER TABLE dataset ADD COLUMN owner VARCHAR(64) DEFAULT 'default' NOT NULL;
ALTER TABLE dataset ADD COLUMN byte_size BIGINT DEFAULT 0 NOT NULL;
UPDATE dataset SET byte_size = COALESCE(OCTET_LENGTH(column_data), LENGTH(content), 0);
ALTER TABLE model ADD COLUMN owner VARCHAR(64) DEFAULT 'default' NOT NULL;

CREATE INDEX job_owner_created ON job (owner, created_at);
CREATE INDEX dataset_owner_created ON dataset (owner, created_at);
CREATE INDEX model_owner_created ON model (owner, created_at);
