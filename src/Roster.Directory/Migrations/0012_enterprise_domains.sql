-- The email domains an enterprise owns, and what Roster does when its IdP provisions someone whose
-- address is outside them: refuse the request (400, with the reason in the log) or accept it and flag
-- it in the log. No domains listed: no rule.
CREATE TABLE enterprise_domains (
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    domain         text NOT NULL,          -- lower-case, IDNA (punycode) form: acme.com, xn--bcher-kva.example
    added_at       bigint NOT NULL,
    PRIMARY KEY (enterprise_id, domain)
);

CREATE TABLE enterprise_domain_rules (
    enterprise_id    text PRIMARY KEY REFERENCES enterprises (id),
    outside_domains  text NOT NULL CHECK (outside_domains IN ('refuse', 'flag')),
    updated_at       bigint NOT NULL
);
