-- SCIM Groups (RFC 7643 §4.2). The group's resource is kept without its members: those are rows of
-- group_members, so that a group of 50,000 is not one document and a membership change touches only
-- the rows it changes.
CREATE TABLE groups (
    id                text PRIMARY KEY,
    enterprise_id     text NOT NULL REFERENCES enterprises (id),
    display_name      text NOT NULL,
    display_name_key  text NOT NULL,        -- lower-cased displayName: unique per enterprise, any case
    external_id       text,
    resource          {{json}} NOT NULL,    -- the canonical resource, without members
    version           bigint NOT NULL,
    created_at        bigint NOT NULL,
    last_modified     bigint NOT NULL,
    deleted_at        bigint
);
CREATE UNIQUE INDEX groups_display_name ON groups (enterprise_id, display_name_key) WHERE deleted_at IS NULL;
CREATE INDEX groups_external_id ON groups (enterprise_id, external_id) WHERE deleted_at IS NULL;
CREATE INDEX groups_listing ON groups (enterprise_id, created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE group_members (
    group_id       text NOT NULL REFERENCES groups (id),
    member_id      text NOT NULL REFERENCES members (id),
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    added_at       bigint NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);
