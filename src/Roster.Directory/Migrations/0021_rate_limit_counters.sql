-- Request counters every Roster instance on one PostgreSQL database shares, so that N instances
-- behind a load balancer let through a rate limit once, not N times (SharedRateLimitCounters). One
-- row per limited key (a SCIM token, an enterprise, with its limit): a fixed window that starts at
-- the first request after the last one ended. SQLite, one server per file, counts in the process.
CREATE TABLE rate_limit_counters (
    limit_key     text PRIMARY KEY,
    window_start  bigint NOT NULL,
    window_end    bigint NOT NULL,
    hits          integer NOT NULL
);
CREATE INDEX rate_limit_counters_expiry ON rate_limit_counters (window_end);
