-- Webhooks: an enterprise's endpoints, and one delivery per event and endpoint, sent by whichever
-- Roster instance claims it first.
--
-- An endpoint's secret signs its deliveries (HMAC-SHA256), so it is kept as given, unlike the tokens
-- Roster verifies (stored as hashes); it is shown once, when the endpoint is added. queued_through is
-- the enterprise's event cursor up to which deliveries for this endpoint exist: the dispatcher moves
-- it forward as it queues, compare-and-set, so that two instances never queue an event twice.
CREATE TABLE webhook_endpoints (
    id              text PRIMARY KEY,
    enterprise_id   text NOT NULL REFERENCES enterprises (id),
    url             text NOT NULL,
    secret          text NOT NULL,
    event_types     text NOT NULL,          -- a JSON array of event types; empty: every type
    description     text,
    created_at      bigint NOT NULL,
    created_by      text NOT NULL,
    deleted_at      bigint,
    queued_through  bigint NOT NULL
);
CREATE INDEX webhook_endpoints_enterprise ON webhook_endpoints (enterprise_id, created_at) WHERE deleted_at IS NULL;

-- order_key is the member the event concerns (or the group, for a group's own events): deliveries of
-- one order_key to one endpoint go out in event order, the next only once the one before is done.
CREATE TABLE webhook_deliveries (
    id               {{identity}},
    enterprise_id    text NOT NULL REFERENCES enterprises (id),
    endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
    event_seq        bigint NOT NULL,
    event_id         text NOT NULL,
    event_type       text NOT NULL,
    order_key        text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL,
    next_attempt_at  bigint NOT NULL,
    lease_until      bigint,                -- the instance sending it now holds it until then
    created_at       bigint NOT NULL,
    retry_since      bigint NOT NULL,       -- retries stop 24 hours after this: the queueing, or an admin's resend
    completed_at     bigint,
    last_status      integer,               -- the receiver's HTTP status, null when it gave none
    last_error       text,
    last_duration_ms bigint,
    last_response    text                   -- the start of the receiver's answer
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (endpoint_id, event_seq);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, order_key, event_seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (enterprise_id, id DESC);

-- Every attempt of a delivery: what the console and the API show of a failing endpoint.
CREATE TABLE webhook_attempts (
    delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id),
    attempt       integer NOT NULL,
    attempted_at  bigint NOT NULL,
    status        integer,
    error         text,
    duration_ms   bigint NOT NULL,
    response      text,
    PRIMARY KEY (delivery_id, attempt)
);
