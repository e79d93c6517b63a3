-- Data sets stored as one primitive array per column (dataset.TableCodec) instead of the JSON text of their
-- cells; content stays for the data sets stored before, and is null for new ones.
ALTER TABLE dataset ADD COLUMN column_data BYTEA;
ALTER TABLE dataset ALTER COLUMN content DROP NOT NULL;
