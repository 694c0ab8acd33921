-- One key ties a SAML sign-in and a SCIM user to one member: the enterprise's link key. SAML's own
-- match_by (userName or email) was a second copy of that choice, and the two could disagree; it
-- becomes the link key. An enterprise that matched sign-ins by email and never chose a link key keeps
-- matching by email; one that chose a link key keeps it (it is the newer, explicit choice).
INSERT INTO enterprise_linking (enterprise_id, link_key, adopt_existing, updated_at)
SELECT s.enterprise_id, s.match_by, FALSE, s.updated_at FROM saml_configurations s
WHERE s.match_by <> 'userName'
  AND NOT EXISTS (SELECT 1 FROM enterprise_linking l WHERE l.enterprise_id = s.enterprise_id);

ALTER TABLE saml_configurations DROP COLUMN match_by;
