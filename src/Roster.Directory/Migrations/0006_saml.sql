-- SAML single sign-on, one configuration per enterprise (Roster is the service provider), and SCIM
-- provisioning as something an enterprise turns on once that sign-in works.

-- Enterprises that existed before this migration were provisioning already: they keep SCIM on. A new
-- enterprise starts with it off (the column's default) until `roster scim enable` finds SAML verified.
ALTER TABLE enterprises ADD COLUMN scim_enabled {{boolean}} NOT NULL DEFAULT FALSE;
UPDATE enterprises SET scim_enabled = TRUE;

-- The SP part (sp_entity_id, acs_url, login_url, sp_certificate_pem, sp_private_key_pem) is written when
-- SAML is first configured and kept afterwards: the IdP was set up with these values. The IdP part and
-- the options change with every `roster saml configure`. revision counts the saves, so that a test
-- sign-in marks verified only the configuration it was tested against.
CREATE TABLE saml_configurations (
    enterprise_id           text PRIMARY KEY REFERENCES enterprises (id),
    sp_entity_id            text NOT NULL,
    acs_url                 text NOT NULL,
    login_url               text NOT NULL,
    idp_entity_id           text NOT NULL,
    idp_sso_url             text NOT NULL,
    idp_metadata_xml        text,                   -- null when the IdP was configured by hand
    idp_metadata_url        text,                   -- where the metadata was fetched, if it was
    allow_idp_initiated     {{boolean}} NOT NULL,
    allow_sha1              {{boolean}} NOT NULL,
    sign_authn_requests     {{boolean}} NOT NULL,
    want_assertions_signed  {{boolean}} NOT NULL,
    match_by                text NOT NULL CHECK (match_by IN ('userName', 'email')),
    jit_provisioning        {{boolean}} NOT NULL,  -- only while SCIM is off: SCIM owns the members otherwise
    sp_certificate_pem      text NOT NULL,
    sp_private_key_pem      text NOT NULL,
    revision                bigint NOT NULL,
    verified_at             bigint,                 -- a test sign-in succeeded against this IdP; null until then
    verified_name_id        text,
    configured_at           bigint NOT NULL,
    updated_at              bigint NOT NULL
);

-- The IdP's signing certificates: the current one and, during a rollover, the next (at most two). A
-- save replaces the whole set with the one the metadata (or the admin) lists; a certificate that stays
-- keeps its added_at.
CREATE TABLE saml_idp_certificates (
    enterprise_id       text NOT NULL REFERENCES saml_configurations (enterprise_id),
    thumbprint_sha256   text NOT NULL,              -- lower-case hex of the SHA-256 of the DER
    certificate_pem     text NOT NULL,
    not_before          bigint NOT NULL,
    not_after           bigint NOT NULL,
    added_at            bigint NOT NULL,
    PRIMARY KEY (enterprise_id, thumbprint_sha256)
);

-- AuthnRequests Roster sent and waits for an answer to. relay_key is the opaque RelayState that comes
-- back with the answer; the real return path stays here. A row is consumed at most once; expired rows
-- are deleted as new ones are made.
CREATE TABLE saml_pending_requests (
    request_id      text PRIMARY KEY,
    enterprise_id   text NOT NULL REFERENCES enterprises (id),
    relay_key       text NOT NULL UNIQUE,
    purpose         text NOT NULL CHECK (purpose IN ('sign-in', 'test')),
    return_path     text,
    created_at      bigint NOT NULL,
    expires_at      bigint NOT NULL,
    consumed_at     bigint
);
CREATE INDEX saml_pending_requests_expiry ON saml_pending_requests (enterprise_id, expires_at);

-- The Response and Assertion IDs already accepted, until the assertion could no longer be valid: shared
-- by every Roster process on the database, so a replay is refused whichever instance it reaches.
CREATE TABLE saml_replay_cache (
    enterprise_id   text NOT NULL REFERENCES enterprises (id),
    message_id      text NOT NULL,
    expires_at      bigint NOT NULL,
    PRIMARY KEY (enterprise_id, message_id)
);
CREATE INDEX saml_replay_cache_expiry ON saml_replay_cache (enterprise_id, expires_at);

-- Every SAML sign-in that reached Roster: who, and why it was refused (reason is a code, detail a
-- sentence for the enterprise's admins). request_id is the AuthnRequest the response answered (null
-- when IdP-initiated).
CREATE TABLE sign_in_attempts (
    id              {{identity}},
    enterprise_id   text NOT NULL REFERENCES enterprises (id),
    occurred_at     bigint NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('signed-in', 'tested', 'refused')),
    reason          text,
    detail          text,
    name_id         text,
    member_id       text REFERENCES members (id),
    assertion_id    text,
    idp_initiated   {{boolean}} NOT NULL,
    client_address  text,
    user_agent      text,
    request_id      text
);
CREATE INDEX sign_in_attempts_recent ON sign_in_attempts (enterprise_id, id DESC);
CREATE INDEX sign_in_attempts_refused ON sign_in_attempts (enterprise_id, id DESC) WHERE outcome = 'refused';
