-- Admin API keys: each opens the /api/v1 admin API of one enterprise. Like SCIM tokens, only the
-- SHA-256 of the key is kept (key_hash), with its last four characters (hint) to tell keys apart;
-- the key itself is shown once, to whoever created it.
CREATE TABLE admin_api_keys (
    id             text PRIMARY KEY,
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    name           text NOT NULL,
    key_hash       text NOT NULL UNIQUE,
    hint           text NOT NULL,
    created_at     bigint NOT NULL,
    expires_at     bigint,
    last_used_at   bigint,
    revoked_at     bigint
);
CREATE INDEX admin_api_keys_enterprise ON admin_api_keys (enterprise_id, created_at);
