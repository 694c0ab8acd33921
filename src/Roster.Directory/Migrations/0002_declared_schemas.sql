-- The SCIM extension schemas an enterprise declares for its Users (`roster schema add`), beside the core
-- User schema and the enterprise extension every enterprise has. "definition" is the Schema resource
-- (RFC 7643 §7) as Roster writes it, without meta; Roster reads it back with the same parser that
-- accepted it. A URN is declared once per enterprise.
CREATE TABLE declared_schemas (
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    urn            text NOT NULL,
    definition     {{json}} NOT NULL,
    created_at     bigint NOT NULL,
    PRIMARY KEY (enterprise_id, urn)
);
