-- The messages of a failed provisioning attempt, so the log can show the request as the IdP sent it
-- and Roster's answer. Kept for failures only (a success's effect says enough), redacted of passwords
-- and tokens before they are written, and capped: *_truncated says the text was cut.
ALTER TABLE provisioning_events ADD COLUMN request_headers text;
ALTER TABLE provisioning_events ADD COLUMN request_body text;
ALTER TABLE provisioning_events ADD COLUMN request_body_truncated {{boolean}} NOT NULL DEFAULT FALSE;
ALTER TABLE provisioning_events ADD COLUMN response_body text;
ALTER TABLE provisioning_events ADD COLUMN response_body_truncated {{boolean}} NOT NULL DEFAULT FALSE;

-- The console's log filters by time ("last 24 hours", from/to): a range on this index.
CREATE INDEX provisioning_events_time ON provisioning_events (enterprise_id, occurred_at);
