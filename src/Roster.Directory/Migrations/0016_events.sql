-- Every change to a member, a group, a membership or a member's role, as an event written in the
-- change's own transaction (an outbox): the product learns of each change exactly once, in order,
-- from GET /api/v1/enterprises/{id}/events or from a webhook, and none is lost when Roster stops.
--
-- seq is the event's cursor, per enterprise, without gaps: event_counters hands out the next numbers
-- under its row's lock, held until the change commits, so events commit in cursor order and a reader
-- that has seen cursor N has seen every event before it (a sequence's numbers can commit out of order).
CREATE TABLE event_counters (
    enterprise_id  text PRIMARY KEY REFERENCES enterprises (id),
    last_seq       bigint NOT NULL
);

CREATE TABLE events (
    enterprise_id  text NOT NULL REFERENCES enterprises (id),
    seq            bigint NOT NULL,
    id             text NOT NULL,          -- a UUID: the idempotency id a consumer deduplicates by
    type           text NOT NULL,          -- member.provisioned, membership.added, role.changed, ...
    occurred_at    bigint NOT NULL,
    subject_type   text NOT NULL,          -- member or group
    subject_id     text NOT NULL,
    data           text NOT NULL,          -- the event's JSON payload, as delivered
    PRIMARY KEY (enterprise_id, seq)
);
CREATE UNIQUE INDEX events_id ON events (id);
