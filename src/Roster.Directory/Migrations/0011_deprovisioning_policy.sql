-- What Roster does when an enterprise's IdP deprovisions a member. No row means the defaults: a
-- deactivation suspends (active false, restorable), a DELETE removes, at once (grace_days 0).
CREATE TABLE deprovisioning_policies (
    enterprise_id  text PRIMARY KEY REFERENCES enterprises (id),
    on_deactivate  text NOT NULL CHECK (on_deactivate IN ('suspend', 'remove')),
    on_delete      text NOT NULL CHECK (on_delete IN ('remove', 'suspend')),
    grace_days     integer NOT NULL CHECK (grace_days >= 0 AND grace_days <= 3650),
    updated_at     bigint NOT NULL
);

-- How a member that SCIM no longer sees (deleted_at set) was deprovisioned: 'removed' by the policy
-- (restorable by a POST of the same userName until restorable_until, if a grace period applied) or
-- 'suspended' on DELETE (hidden from SCIM as RFC 7644 §3.6 requires, kept deactivated, restorable by a
-- POST of the same userName at any time). NULL for members deleted before policies existed: final.
ALTER TABLE members ADD COLUMN deprovisioned_as text;
ALTER TABLE members ADD COLUMN restorable_until bigint;
-- A POST looks for a restorable member with its userName among the enterprise's hidden ones.
CREATE INDEX members_restorable ON members (enterprise_id, user_name_key) WHERE deleted_at IS NOT NULL AND deprovisioned_as IS NOT NULL;
