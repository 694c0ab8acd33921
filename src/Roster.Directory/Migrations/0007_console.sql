-- The admin console: owner accounts with a break-glass password, the one-time links that set one,
-- console sessions of owner accounts, and the password failures that throttle guessing.
-- Members with an owner or admin role reach the console through their SAML session (member_sessions):
-- their role is computed on every request, and their session ends with their deactivation.

CREATE TABLE console_owners (
    id               text PRIMARY KEY,
    enterprise_id    text NOT NULL REFERENCES enterprises (id),
    email            text NOT NULL,
    email_key        text NOT NULL,          -- lower-cased email: one account per address and enterprise
    display_name     text,
    password_hash    text,                   -- pbkdf2-sha256$ITERATIONS$SALT$HASH; null until the set-up link is used
    created_at       bigint NOT NULL,
    password_set_at  bigint,
    last_sign_in_at  bigint
);
CREATE UNIQUE INDEX console_owners_email ON console_owners (enterprise_id, email_key);

-- One-time links that set an owner's password, or (first run, owner_id and enterprise_id null) create
-- the first enterprise and its owner. Only the SHA-256 of the token is kept; a link is consumed at most
-- once, by the UPDATE that marks it.
CREATE TABLE console_setup_links (
    id             text PRIMARY KEY,
    purpose        text NOT NULL CHECK (purpose IN ('owner', 'first-run')),
    enterprise_id  text REFERENCES enterprises (id),
    owner_id       text REFERENCES console_owners (id),
    token_hash     text NOT NULL UNIQUE,
    created_at     bigint NOT NULL,
    expires_at     bigint NOT NULL,
    consumed_at    bigint
);
CREATE INDEX console_setup_links_owner ON console_setup_links (owner_id);

-- Sessions of owner accounts signed in with their password (or just set up).
CREATE TABLE console_sessions (
    id             text PRIMARY KEY,
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    owner_id       text NOT NULL REFERENCES console_owners (id),
    token_hash     text NOT NULL UNIQUE,
    created_at     bigint NOT NULL,
    expires_at     bigint NOT NULL,
    ended_at       bigint
);
CREATE INDEX console_sessions_owner ON console_sessions (owner_id) WHERE ended_at IS NULL;

-- Failed password sign-ins, kept in the database so that every Roster instance counts the same ones.
-- account_key is the enterprise slug and email as typed (lower-cased), whether or not they name an
-- account: an unknown address is throttled exactly like a known one.
CREATE TABLE console_password_failures (
    id              {{identity}},
    account_key     text NOT NULL,
    client_address  text NOT NULL,
    failed_at       bigint NOT NULL
);
CREATE INDEX console_password_failures_account ON console_password_failures (account_key, failed_at);
CREATE INDEX console_password_failures_client ON console_password_failures (client_address, failed_at);
CREATE INDEX console_password_failures_age ON console_password_failures (failed_at);

-- ASP.NET Core data protection keys (what antiforgery tokens are made with), shared by every instance
-- so that a form rendered by one is accepted by another.
CREATE TABLE console_data_protection_keys (
    friendly_name  text PRIMARY KEY,
    xml            text NOT NULL,
    created_at     bigint NOT NULL
);
