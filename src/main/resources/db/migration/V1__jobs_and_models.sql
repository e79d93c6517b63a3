-- The job table is also the queue: runners claim rows with a conditional update on version.
CREATE TABLE job (
    id               UUID PRIMARY KEY,
    type             VARCHAR(32)              NOT NULL,
    status           VARCHAR(32)              NOT NULL,
    spec             TEXT                     NOT NULL,
    data             TEXT                     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    attempt          INT                      NOT NULL,
    lease_owner      VARCHAR(64),
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    epochs_completed INT                      NOT NULL,
    epochs_total     INT                      NOT NULL,
    model_id         UUID,
    stop_reason      VARCHAR(32),
    best_epoch       INT,
    error_type       VARCHAR(64),
    error_detail     VARCHAR(2000),
    final_metrics    TEXT,
    version          BIGINT                   NOT NULL
);

CREATE INDEX job_status_created ON job (status, created_at);

CREATE TABLE job_epoch (
    job_id            UUID             NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    epoch             INT              NOT NULL,
    loss              DOUBLE PRECISION NOT NULL,
    validation_loss   DOUBLE PRECISION,
    metric            DOUBLE PRECISION,
    validation_metric DOUBLE PRECISION,
    learning_rate     DOUBLE PRECISION NOT NULL,
    elapsed_ms        BIGINT           NOT NULL,
    PRIMARY KEY (job_id, epoch)
);

-- A model outlives the job that trained it. summary is the document without its weights, for listing.
CREATE TABLE model (
    id             UUID PRIMARY KEY,
    job_id         UUID,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    task           VARCHAR(32)              NOT NULL,
    format_version INT                      NOT NULL,
    summary        TEXT                     NOT NULL,
    document       TEXT                     NOT NULL
);

CREATE INDEX model_created ON model (created_at);
