-- A data set's columns one row each (dataset.TableCodec.encodeColumn), so that an upload writes and a job reads
-- one column at a time instead of one value of the whole table (440 MB for T4, twice that in memory while it
-- was built); and its first rows as JSON, so that GET /datasets/{id} reads only what it shows. Data sets stored
-- before keep column_data (or content) and no preview. The columns are written before their data set's row, each
-- batch committed on its own (one transaction of 440 MB ran H2 out of a 1 GB heap), so there is no foreign key:
-- a data set is visible once its row is, and deleting it deletes its columns (dataset.DatasetRepository).
CREATE TABLE dataset_column (
    dataset_id UUID  NOT NULL,
    position   INT   NOT NULL,
    data       BYTEA NOT NULL,
    PRIMARY KEY (dataset_id, position)
);

ALTER TABLE dataset ADD COLUMN preview TEXT;
