-- Indexes for the remaining attributes IdPs filter on: meta.lastModified (incremental reads,
-- "what changed since") and active (who is deactivated).
CREATE INDEX members_last_modified ON members (enterprise_id, last_modified) WHERE deleted_at IS NULL;
CREATE INDEX members_active ON members (enterprise_id, active) WHERE deleted_at IS NULL;
