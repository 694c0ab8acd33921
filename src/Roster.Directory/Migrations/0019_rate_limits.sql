-- An enterprise's own SCIM rate limits, overriding the server's defaults (roster serve
-- --rate-limit-token / --rate-limit-enterprise). Requests per second, sustained; NULL keeps the
-- server's default for that limit. No row: both defaults.
CREATE TABLE enterprise_rate_limits (
    enterprise_id   text PRIMARY KEY REFERENCES enterprises (id),
    per_token       integer CHECK (per_token IS NULL OR per_token >= 1),
    per_enterprise  integer CHECK (per_enterprise IS NULL OR per_enterprise >= 1),
    updated_at      bigint NOT NULL
);
