-- Roles from IdP groups: an admin maps a group of the enterprise to a role. A member's role is never
-- stored: it is computed from group_members and this table, so it follows a membership or mapping
-- change at once. Deleting a group deletes its mapping (the group row itself stays, deleted).
CREATE TABLE group_roles (
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    group_id       text NOT NULL REFERENCES groups (id),
    role           text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    created_at     bigint NOT NULL,
    PRIMARY KEY (enterprise_id, group_id)
);
CREATE INDEX group_roles_group ON group_roles (group_id);
