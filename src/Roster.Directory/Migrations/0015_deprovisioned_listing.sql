-- The console lists the members SCIM no longer sees (removed, suspended or deleted, their history
-- kept) as it lists the live ones: in userName order, a page at a time from a keyset cursor. This is
-- that order's index for them; members_user_name covers only the live members.
CREATE INDEX members_deprovisioned_user_name ON members (enterprise_id, user_name_key, id) WHERE deleted_at IS NOT NULL;
