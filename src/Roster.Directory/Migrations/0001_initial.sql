-- Roster's first schema. One text for both databases: the json, boolean and identity placeholders in
-- double braces become each database's own type (see SqlDialect.MigrationTypes). Times are bigint milliseconds since the Unix
-- epoch (UTC) in both.

CREATE TABLE enterprises (
    id          text PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  bigint NOT NULL
);

-- SCIM bearer tokens: only the SHA-256 of a token is kept; the token itself is shown once.
CREATE TABLE scim_tokens (
    id             text PRIMARY KEY,
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    name           text NOT NULL,
    token_hash     text NOT NULL UNIQUE,
    hint           text NOT NULL,
    created_at     bigint NOT NULL,
    expires_at     bigint,
    last_used_at   bigint,
    revoked_at     bigint
);
CREATE INDEX scim_tokens_enterprise ON scim_tokens (enterprise_id, created_at);

-- A member is a SCIM User of one enterprise. The resource as the IdP sent it (canonicalised) is kept
-- whole in "resource"; the attributes that lookups, uniqueness and the product use are columns too.
CREATE TABLE members (
    id              text PRIMARY KEY,
    enterprise_id   text NOT NULL REFERENCES enterprises (id),
    user_name       text NOT NULL,
    user_name_key   text NOT NULL,          -- lower-cased userName: SCIM says userName is not case-exact
    external_id     text,
    display_name    text,
    display_name_key text,                  -- lower-cased displayName, for lookups and sorting
    given_name      text,
    family_name     text,
    email           text,
    email_key       text,
    active          {{boolean}} NOT NULL,
    source          text NOT NULL,
    resource        {{json}} NOT NULL,
    search          {{json}} NOT NULL,      -- the resource with case-insensitive strings lower-cased: what filters read
    version         bigint NOT NULL,
    created_at      bigint NOT NULL,
    last_modified   bigint NOT NULL,
    deactivated_at  bigint,
    deleted_at      bigint
);
-- Deleted members keep their row (history) but free their userName.
CREATE UNIQUE INDEX members_user_name ON members (enterprise_id, user_name_key) WHERE deleted_at IS NULL;
CREATE INDEX members_external_id ON members (enterprise_id, external_id) WHERE deleted_at IS NULL;
CREATE INDEX members_email ON members (enterprise_id, email_key) WHERE deleted_at IS NULL;
CREATE INDEX members_display_name ON members (enterprise_id, display_name_key) WHERE deleted_at IS NULL;
CREATE INDEX members_listing ON members (enterprise_id, created_at, id) WHERE deleted_at IS NULL;

-- Sessions a member holds in the product; deactivation ends them in the same transaction.
CREATE TABLE member_sessions (
    id             text PRIMARY KEY,
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    member_id      text NOT NULL REFERENCES members (id),
    token_hash     text NOT NULL UNIQUE,
    created_at     bigint NOT NULL,
    expires_at     bigint NOT NULL,
    ended_at       bigint,
    end_reason     text
);
CREATE INDEX member_sessions_member ON member_sessions (member_id) WHERE ended_at IS NULL;

-- Every provisioning attempt: each change, and every request that failed.
CREATE TABLE provisioning_events (
    id             {{identity}},
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    occurred_at    bigint NOT NULL,
    request_id     text,
    method         text NOT NULL,
    path           text NOT NULL,
    operation      text NOT NULL,
    resource_type  text,
    target_id      text,
    target_name    text,
    outcome        text NOT NULL,
    effect         text,
    http_status    integer NOT NULL,
    scim_type      text,
    reason         text,
    client         text,
    token_id       text,
    duration_ms    integer
);
CREATE INDEX provisioning_events_recent ON provisioning_events (enterprise_id, id DESC);
CREATE INDEX provisioning_events_failed ON provisioning_events (enterprise_id, id DESC) WHERE outcome = 'failed';
CREATE INDEX provisioning_events_target ON provisioning_events (enterprise_id, target_id, id DESC);

-- The values of multi-valued attributes (emails, phoneNumbers, roles, ...), one row an element, as the
-- search document holds them (lower-cased unless case-exact): what lets emails.value eq and
-- emails[type eq "work"].value eq be answered from an index, as IdPs look people up by email.
CREATE TABLE member_values (
    member_id      text NOT NULL REFERENCES members (id),
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    attribute      text NOT NULL,
    type           text,
    value          text NOT NULL
);
CREATE INDEX member_values_lookup ON member_values (enterprise_id, attribute, value);
CREATE INDEX member_values_member ON member_values (member_id);
