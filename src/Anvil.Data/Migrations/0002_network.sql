-- Anvil schema, version 2: the network model and IPAM — spaces, fabrics, VLANs, subnets, IP
-- ranges, static IP addresses and their links to interfaces, interface hierarchy (bonds, bridges,
-- VLAN interfaces), static routes, DHCP snippets, DNS resources and records.

-- Overlap checks for IP ranges are enforced by the database: a GiST exclusion constraint over
-- inet ranges, per subnet (btree_gist provides the "=" on the subnet id).
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TYPE inetrange AS RANGE (subtype = inet);

CREATE TABLE space (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fabric (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    class_type  text,
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
-- MAAS always has fabric-0 with its untagged VLAN.
INSERT INTO fabric (id, name) VALUES (0, 'fabric-0');
SELECT setval('fabric_id_seq', 1, false);

CREATE TABLE vlan (
    id                bigserial PRIMARY KEY,
    fabric_id         bigint NOT NULL REFERENCES fabric(id) ON DELETE CASCADE,
    vid               integer NOT NULL CHECK (vid BETWEEN 0 AND 4094),
    name              text,
    description       text NOT NULL DEFAULT '',
    mtu               integer NOT NULL DEFAULT 1500 CHECK (mtu BETWEEN 552 AND 65535),
    dhcp_on           boolean NOT NULL DEFAULT false,
    external_dhcp     inet,
    primary_rack_id   bigint REFERENCES node(id) ON DELETE SET NULL,
    secondary_rack_id bigint REFERENCES node(id) ON DELETE SET NULL,
    relay_vlan_id     bigint REFERENCES vlan(id) ON DELETE SET NULL,
    space_id          bigint REFERENCES space(id) ON DELETE SET NULL,
    created           timestamptz NOT NULL DEFAULT now(),
    updated           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (fabric_id, vid),
    CHECK (relay_vlan_id IS NULL OR relay_vlan_id <> id),
    CHECK (secondary_rack_id IS NULL OR secondary_rack_id IS DISTINCT FROM primary_rack_id)
);
INSERT INTO vlan (id, fabric_id, vid) VALUES (5001, 0, 0);
SELECT setval('vlan_id_seq', 5002, false);

CREATE TABLE subnet (
    id                          bigserial PRIMARY KEY,
    name                        text NOT NULL UNIQUE,
    description                 text NOT NULL DEFAULT '',
    vlan_id                     bigint NOT NULL REFERENCES vlan(id) ON DELETE RESTRICT,
    cidr                        cidr NOT NULL UNIQUE,
    gateway_ip                  inet,
    dns_servers                 inet[] NOT NULL DEFAULT '{}',
    rdns_mode                   integer NOT NULL DEFAULT 2 CHECK (rdns_mode BETWEEN 0 AND 2),
    allow_dns                   boolean NOT NULL DEFAULT true,
    allow_proxy                 boolean NOT NULL DEFAULT true,
    active_discovery            boolean NOT NULL DEFAULT false,
    managed                     boolean NOT NULL DEFAULT true,
    disabled_boot_architectures text[] NOT NULL DEFAULT '{}',
    created                     timestamptz NOT NULL DEFAULT now(),
    updated                     timestamptz NOT NULL DEFAULT now(),
    CHECK (gateway_ip IS NULL OR gateway_ip << cidr OR family(cidr) = 6)
);
CREATE INDEX subnet_vlan ON subnet (vlan_id);

CREATE TABLE iprange (
    id          bigserial PRIMARY KEY,
    subnet_id   bigint NOT NULL REFERENCES subnet(id) ON DELETE CASCADE,
    type        text NOT NULL CHECK (type IN ('dynamic', 'reserved')),
    start_ip    inet NOT NULL,
    end_ip      inet NOT NULL,
    comment     text NOT NULL DEFAULT '',
    user_id     bigint REFERENCES users(id) ON DELETE SET NULL,
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now(),
    CHECK (family(start_ip) = family(end_ip) AND start_ip <= end_ip),
    EXCLUDE USING gist (subnet_id WITH =, inetrange(start_ip, end_ip, '[]') WITH &&)
);

-- Addresses: AUTO 0, STICKY 1, USER_RESERVED 4, DHCP 5, DISCOVERED 6 (MAAS's IPADDRESS_TYPE).
-- A link with no address yet (AUTO before deploy, DHCP, LINK_UP) is a row with ip NULL.
CREATE TABLE staticipaddress (
    id              bigserial PRIMARY KEY,
    ip              inet,
    alloc_type      integer NOT NULL CHECK (alloc_type IN (0, 1, 4, 5, 6)),
    subnet_id       bigint REFERENCES subnet(id) ON DELETE CASCADE,
    user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
    lease_time      integer NOT NULL DEFAULT 0,
    temp_expires_on timestamptz,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now()
);
-- The database, not a lock, guarantees that no address is handed out twice.
CREATE UNIQUE INDEX staticipaddress_ip_unique ON staticipaddress (ip) WHERE ip IS NOT NULL AND alloc_type <> 6;
CREATE UNIQUE INDEX staticipaddress_discovered_unique ON staticipaddress (ip) WHERE ip IS NOT NULL AND alloc_type = 6;
CREATE INDEX staticipaddress_subnet ON staticipaddress (subnet_id);

CREATE TABLE interface_ip (
    interface_id       bigint NOT NULL REFERENCES interface(id) ON DELETE CASCADE,
    staticipaddress_id bigint NOT NULL REFERENCES staticipaddress(id) ON DELETE CASCADE,
    PRIMARY KEY (interface_id, staticipaddress_id)
);
CREATE INDEX interface_ip_address ON interface_ip (staticipaddress_id);

ALTER TABLE interface
    ADD COLUMN vlan_id bigint REFERENCES vlan(id) ON DELETE SET NULL,
    ADD COLUMN accept_ra boolean,
    ADD COLUMN default_gateway_v4_ip_id bigint,
    ADD COLUMN default_gateway_v6_ip_id bigint;
-- Interfaces that are not on a machine (rack, device, unknown MAC from a lease) use the same table.
ALTER TABLE interface ALTER COLUMN node_id DROP NOT NULL;
ALTER TABLE interface ADD CONSTRAINT interface_type_check CHECK (type IN ('physical', 'bond', 'bridge', 'vlan', 'alias', 'unknown'));

-- Bonds, bridges and VLAN interfaces sit on parents.
CREATE TABLE interface_relationship (
    parent_id   bigint NOT NULL REFERENCES interface(id) ON DELETE CASCADE,
    child_id    bigint NOT NULL REFERENCES interface(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id),
    CHECK (parent_id <> child_id)
);
CREATE INDEX interface_relationship_child ON interface_relationship (child_id);

CREATE TABLE staticroute (
    id              bigserial PRIMARY KEY,
    source_id       bigint NOT NULL REFERENCES subnet(id) ON DELETE CASCADE,
    destination_id  bigint NOT NULL REFERENCES subnet(id) ON DELETE CASCADE,
    gateway_ip      inet NOT NULL,
    metric          integer NOT NULL DEFAULT 0 CHECK (metric >= 0),
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, destination_id, gateway_ip),
    CHECK (source_id <> destination_id)
);

-- DHCP snippets are structured options (a JSON list of {code, name, type, value}), validated by
-- the region and applied by the rack's DHCP server; every change keeps the previous value.
CREATE TABLE dhcpsnippet (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    options     jsonb NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    node_id     bigint REFERENCES node(id) ON DELETE CASCADE,
    subnet_id   bigint REFERENCES subnet(id) ON DELETE CASCADE,
    iprange_id  bigint REFERENCES iprange(id) ON DELETE CASCADE,
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(node_id, subnet_id) <= 1),
    CHECK (iprange_id IS NULL OR subnet_id IS NOT NULL)
);

CREATE TABLE dhcpsnippet_history (
    id              bigserial PRIMARY KEY,
    dhcpsnippet_id  bigint NOT NULL REFERENCES dhcpsnippet(id) ON DELETE CASCADE,
    options         jsonb NOT NULL,
    created         timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE domain ADD COLUMN forward_dns_servers inet[] NOT NULL DEFAULT '{}';

CREATE TABLE dnsresource (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    domain_id   bigint NOT NULL REFERENCES domain(id) ON DELETE CASCADE,
    address_ttl integer CHECK (address_ttl IS NULL OR address_ttl >= 0),
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, domain_id)
);

CREATE TABLE dnsresource_ip (
    dnsresource_id     bigint NOT NULL REFERENCES dnsresource(id) ON DELETE CASCADE,
    staticipaddress_id bigint NOT NULL REFERENCES staticipaddress(id) ON DELETE CASCADE,
    PRIMARY KEY (dnsresource_id, staticipaddress_id)
);

CREATE TABLE dnsdata (
    id              bigserial PRIMARY KEY,
    dnsresource_id  bigint NOT NULL REFERENCES dnsresource(id) ON DELETE CASCADE,
    rrtype          text NOT NULL,
    rrdata          text NOT NULL,
    ttl             integer CHECK (ttl IS NULL OR ttl >= 0),
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dnsdata_resource ON dnsdata (dnsresource_id);
