-- A model's name and tags (its training request's), so that listings filter on them and the newest model of
-- a name can be found. Models stored before have neither: their name stays in their provenance only.
ALTER TABLE model ADD COLUMN name VARCHAR(200);

CREATE INDEX model_name_created ON model (name, created_at);

CREATE TABLE model_tag (
    model_id UUID         NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    tag      VARCHAR(100) NOT NULL,
    PRIMARY KEY (model_id, tag)
);

CREATE INDEX model_tag_tag ON model_tag (tag);
