-- Tenants own every job, data set and model; API keys act for one tenant with one role. A key is stored only
-- as the SHA-256 of its text (security.KeySecrets); its id is the key's public part. Null quota columns take
-- the configured defaults (backprop.security.quotas).
CREATE TABLE tenant (
    id                      VARCHAR(64)              PRIMARY KEY,
    name                    VARCHAR(200)             NOT NULL,
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    max_dataset_bytes       BIGINT,
    max_models              BIGINT,
    max_active_jobs         BIGINT,
    max_concurrent_searches BIGINT
);

-- Everything made without keys, and the admin key's own objects, belong to the default tenant.
INSERT INTO tenant (id, name, created_at) VALUES ('default', 'default', CURRENT_TIMESTAMP);

CREATE TABLE api_key (
    id           VARCHAR(32)              PRIMARY KEY,
    tenant_id    VARCHAR(64)              NOT NULL REFERENCES tenant (id),
    name         VARCHAR(200)             NOT NULL,
    role         VARCHAR(32)              NOT NULL,
    secret_hash  VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE
);
