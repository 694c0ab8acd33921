-- The audit log of admin actions: who turned SCIM on, created or revoked a token, changed SAML or a
-- role mapping, created an owner. Each entry is written in the transaction of the change it records,
-- so the log holds every change that happened and none that did not. Never a secret: the summary names
-- a token by its name and id, not by its value.
CREATE TABLE admin_audit (
    id             {{identity}},
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    occurred_at    bigint NOT NULL,
    actor          text NOT NULL,          -- who, as a person reads it: "owner account jane@acme.com", "command line (ops@host)"
    action         text NOT NULL,          -- a stable code: scim.token.created, scim.enabled, saml.configured, ...
    summary        text NOT NULL
);
-- The console and `roster audit` read one enterprise's entries newest first, paged backwards by id.
CREATE INDEX admin_audit_recent ON admin_audit (enterprise_id, id DESC);
