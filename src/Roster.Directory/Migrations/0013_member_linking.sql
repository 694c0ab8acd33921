-- How a member the IdP provisions is tied to an account that exists already, created before SCIM was
-- on (by a SAML just-in-time sign-in, or by hand): by which key, and whether Roster adopts such an
-- account (links it to SCIM, keeping its id, history and content) or refuses the create (409) and
-- lists the conflict for an admin to adopt or keep apart. No row: userName, no adoption.
CREATE TABLE enterprise_linking (
    enterprise_id   text PRIMARY KEY REFERENCES enterprises (id),
    link_key        text NOT NULL CHECK (link_key IN ('userName', 'email', 'externalId')),
    adopt_existing  {{boolean}} NOT NULL,
    updated_at      bigint NOT NULL
);

-- A create the IdP sent for someone who exists unlinked, refused: one open conflict per member,
-- counted when the IdP retries; resolved by an admin as adopted or kept apart.
CREATE TABLE linking_conflicts (
    id                   {{identity}},
    enterprise_id        text NOT NULL REFERENCES enterprises (id),
    member_id            text NOT NULL REFERENCES members (id),
    requested_user_name  text NOT NULL,
    reason               text NOT NULL,
    first_at             bigint NOT NULL,
    last_at              bigint NOT NULL,
    attempts             integer NOT NULL,
    resolved_at          bigint,
    resolution           text CHECK (resolution IN ('adopted', 'kept-apart')),
    resolved_by          text
);
CREATE UNIQUE INDEX linking_conflicts_open ON linking_conflicts (enterprise_id, member_id) WHERE resolved_at IS NULL;
CREATE INDEX linking_conflicts_member ON linking_conflicts (enterprise_id, member_id, id DESC);
