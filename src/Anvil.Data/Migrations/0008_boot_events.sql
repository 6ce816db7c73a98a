-- The boot timeline (docs/architecture/timeline.md): what happened on the wire while a machine
-- booted — DHCP packets, TFTP and HTTP fetches (from the racks), metadata calls, signals and
-- power actions (from the region). Rows from before a machine is known have only its MAC; a
-- node's timeline is its own rows plus those of its interfaces' MACs, plus its status changes
-- from the event table. Rows older than the retention are pruned by the region.
CREATE TABLE boot_event (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    mac      macaddr,
    node_id  bigint REFERENCES node(id) ON DELETE CASCADE,
    stage    text NOT NULL,
    kind     text NOT NULL,
    detail   text NOT NULL DEFAULT '',
    bytes    bigint,
    source   text NOT NULL DEFAULT ''
);
CREATE INDEX boot_event_mac_at ON boot_event (mac, at) WHERE mac IS NOT NULL;
CREATE INDEX boot_event_node_at ON boot_event (node_id, at) WHERE node_id IS NOT NULL;
CREATE INDEX boot_event_at ON boot_event (at);
