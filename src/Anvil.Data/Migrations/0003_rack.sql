-- Rack controllers: the services they report, when a region last heard from them, and the queue
-- of DNS changes that lease processing leaves for the DNS publisher.

-- MAAS's SERVICE_STATUS values (maas-api.md §3.7); one row per (controller, service name).
CREATE TABLE service (
    id          bigserial PRIMARY KEY,
    node_id     bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    name        text NOT NULL,
    status      text NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'running', 'degraded', 'dead', 'off')),
    status_info text NOT NULL DEFAULT '',
    updated     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (node_id, name)
);

-- A controller's software version and the last time any region heard from it over the link;
-- a rack not heard from for a while is dead, and its VLANs' secondary takes over DHCP.
ALTER TABLE node ADD COLUMN controller_version text NOT NULL DEFAULT '';
ALTER TABLE node ADD COLUMN last_seen timestamptz;

-- Resource-record changes waiting to be published to the DNS servers (RFC 2136 updates).
CREATE TABLE dns_update (
    id        bigserial PRIMARY KEY,
    domain_id bigint REFERENCES domain(id) ON DELETE CASCADE,
    action    text NOT NULL CHECK (action IN ('add', 'remove')),
    name      text NOT NULL,
    rrtype    text NOT NULL,
    rrdata    text NOT NULL,
    ttl       integer,
    source    text NOT NULL DEFAULT '',
    created   timestamptz NOT NULL DEFAULT now()
);

-- Every region process records the URL racks reach it at; registration hands racks the list so
-- they keep a link to each region and fail over between them.
CREATE TABLE region_endpoint (
    url       text PRIMARY KEY,
    last_seen timestamptz NOT NULL DEFAULT now()
);
