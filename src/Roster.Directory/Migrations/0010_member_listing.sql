-- The console's member page lists a member's sessions, ended ones too: member_sessions_member covers
-- only the open ones.
CREATE INDEX member_sessions_history ON member_sessions (member_id, created_at);

-- The member list filters by source (SCIM, SAML just-in-time): few SAML-created members among many
-- provisioned ones are found from this index rather than by reading every member.
CREATE INDEX members_source ON members (enterprise_id, source) WHERE deleted_at IS NULL;
