-- Anvil schema, version 1: users and API credentials, zones, pools, domains, nodes with
-- their interfaces and block devices, tags, events, configuration, SSH keys, notifications.
-- Enum-like integer columns hold MAAS's wire values (NODE_STATUS, NODE_TYPE, event levels).

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username <> ''),
    email           text NOT NULL DEFAULT '',
    password_hash   text NOT NULL DEFAULT '',
    is_superuser    boolean NOT NULL DEFAULT false,
    is_active       boolean NOT NULL DEFAULT true,
    is_local        boolean NOT NULL DEFAULT true,
    date_joined     timestamptz NOT NULL DEFAULT now(),
    last_login      timestamptz
);

-- OAuth tokens. The token secret is stored as its SHA-256 only: PLAINTEXT signatures carry the
-- secret itself, so the region hashes what it receives and compares in constant time.
CREATE TABLE api_token (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    consumer_key    text NOT NULL UNIQUE,
    consumer_name   text NOT NULL DEFAULT 'MAAS consumer',
    consumer_secret text NOT NULL DEFAULT '',
    token_key       text NOT NULL UNIQUE,
    secret_sha256   bytea NOT NULL,
    created         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_token_user ON api_token (user_id);

-- Nonces seen within the OAuth timestamp window; a second insert of the same pair is a replay.
CREATE TABLE oauth_nonce (
    token_key   text NOT NULL,
    nonce       text NOT NULL,
    seen        timestamptz NOT NULL,
    PRIMARY KEY (token_key, nonce)
);
CREATE INDEX oauth_nonce_seen ON oauth_nonce (seen);

CREATE TABLE zone (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO zone (id, name, description) VALUES (1, 'default', '');
SELECT setval('zone_id_seq', 1);

-- MAAS's default pool has id 0 in its examples; keep that so clients' assumptions hold.
CREATE TABLE resource_pool (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO resource_pool (id, name, description) VALUES (0, 'default', 'Default pool');
SELECT setval('resource_pool_id_seq', 1, false);

CREATE TABLE domain (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    authoritative boolean NOT NULL DEFAULT true,
    ttl           integer,
    is_default    boolean NOT NULL DEFAULT false,
    created       timestamptz NOT NULL DEFAULT now(),
    updated       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX domain_single_default ON domain (is_default) WHERE is_default;
INSERT INTO domain (id, name, authoritative, is_default) VALUES (0, 'maas', true, true);
SELECT setval('domain_id_seq', 1, false);

CREATE TABLE node (
    id                      bigserial PRIMARY KEY,
    system_id               text NOT NULL UNIQUE,
    hostname                text NOT NULL UNIQUE,
    description             text NOT NULL DEFAULT '',
    node_type               integer NOT NULL DEFAULT 0,
    status                  integer NOT NULL DEFAULT 0,
    previous_status         integer NOT NULL DEFAULT 0,
    owner_id                bigint REFERENCES users(id),
    locked                  boolean NOT NULL DEFAULT false,
    domain_id               bigint NOT NULL REFERENCES domain(id),
    zone_id                 bigint NOT NULL REFERENCES zone(id),
    pool_id                 bigint REFERENCES resource_pool(id),
    architecture            text NOT NULL DEFAULT '',
    min_hwe_kernel          text NOT NULL DEFAULT '',
    hwe_kernel              text,
    cpu_count               integer NOT NULL DEFAULT 0,
    cpu_speed               integer NOT NULL DEFAULT 0,
    memory                  integer NOT NULL DEFAULT 0,
    swap_size               bigint,
    osystem                 text NOT NULL DEFAULT '',
    distro_series           text NOT NULL DEFAULT '',
    license_key             text NOT NULL DEFAULT '',
    -- cloud-init user data given at deploy, base64 as the API received it
    deploy_user_data        text,
    ephemeral_deploy        boolean NOT NULL DEFAULT false,
    enable_hw_sync          boolean NOT NULL DEFAULT false,
    enable_kernel_crash_dump boolean NOT NULL DEFAULT false,
    is_dpu                  boolean NOT NULL DEFAULT false,
    disable_ipv4            boolean NOT NULL DEFAULT false,
    netboot                 boolean NOT NULL DEFAULT true,
    error_description       text NOT NULL DEFAULT '',
    agent_name              text NOT NULL DEFAULT '',
    hardware_uuid           text UNIQUE,
    bios_boot_method        text,
    power_type              text NOT NULL DEFAULT '',
    power_parameters        jsonb NOT NULL DEFAULT '{}',
    power_state             text NOT NULL DEFAULT 'unknown',
    power_state_updated     timestamptz,
    enlisting               boolean NOT NULL DEFAULT false,
    enable_ssh              boolean NOT NULL DEFAULT false,
    skip_bmc_config         boolean NOT NULL DEFAULT false,
    skip_networking         boolean NOT NULL DEFAULT false,
    skip_storage            boolean NOT NULL DEFAULT false,
    status_expires          timestamptz,
    -- the latest status event, kept on the node so listings need no event scan
    status_message          text,
    status_action           text,
    workload_annotations    jsonb NOT NULL DEFAULT '{}',
    hardware_info           jsonb NOT NULL DEFAULT '{}',
    address_ttl             integer,
    parent_id               bigint REFERENCES node(id) ON DELETE CASCADE,
    current_commissioning_result_id bigint,
    current_testing_result_id       bigint,
    current_installation_result_id  bigint,
    created                 timestamptz NOT NULL DEFAULT now(),
    updated                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_status ON node (status);
CREATE INDEX node_owner ON node (owner_id);
CREATE INDEX node_status_expires ON node (status_expires) WHERE status_expires IS NOT NULL;

CREATE TABLE interface (
    id              bigserial PRIMARY KEY,
    node_id         bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    name            text NOT NULL,
    type            text NOT NULL DEFAULT 'physical',
    mac_address     macaddr,
    enabled         boolean NOT NULL DEFAULT true,
    tags            text[] NOT NULL DEFAULT '{}',
    params          jsonb NOT NULL DEFAULT '{}',
    mtu             integer,
    vendor          text,
    product         text,
    firmware_version text,
    link_connected  boolean NOT NULL DEFAULT true,
    interface_speed integer NOT NULL DEFAULT 0,
    link_speed      integer NOT NULL DEFAULT 0,
    numa_node       integer NOT NULL DEFAULT 0,
    sriov_max_vf    integer NOT NULL DEFAULT 0,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (node_id, name)
);
-- A physical NIC's MAC identifies one machine; MAAS refuses a second physical interface with it.
CREATE UNIQUE INDEX interface_physical_mac ON interface (mac_address) WHERE type = 'physical';

CREATE TABLE blockdevice (
    id              bigserial PRIMARY KEY,
    node_id         bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    name            text NOT NULL,
    type            text NOT NULL DEFAULT 'physical',
    model           text NOT NULL DEFAULT '',
    serial          text NOT NULL DEFAULT '',
    id_path         text,
    size            bigint NOT NULL CHECK (size >= 0),
    block_size      integer NOT NULL DEFAULT 512,
    tags            text[] NOT NULL DEFAULT '{}',
    is_boot_disk    boolean NOT NULL DEFAULT false,
    uuid            text,
    firmware_version text,
    numa_node       integer NOT NULL DEFAULT 0,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (node_id, name)
);

CREATE TABLE partition (
    id              bigserial PRIMARY KEY,
    blockdevice_id  bigint NOT NULL REFERENCES blockdevice(id) ON DELETE CASCADE,
    number          integer NOT NULL,
    size            bigint NOT NULL CHECK (size >= 0),
    uuid            text,
    bootable        boolean NOT NULL DEFAULT false,
    tags            text[] NOT NULL DEFAULT '{}',
    UNIQUE (blockdevice_id, number)
);

-- PCI/USB devices found by commissioning; the allocate "devices" constraint looks at them.
CREATE TABLE node_device (
    id                   bigserial PRIMARY KEY,
    node_id              bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    bus                  integer NOT NULL,
    hardware_type        integer NOT NULL DEFAULT 0,
    vendor_id            text NOT NULL,
    product_id           text NOT NULL,
    vendor_name          text NOT NULL DEFAULT '',
    product_name         text NOT NULL DEFAULT '',
    commissioning_driver text NOT NULL DEFAULT '',
    bus_number           integer NOT NULL DEFAULT 0,
    device_number        integer NOT NULL DEFAULT 0,
    pci_address          text
);

-- Hardware details captured by commissioning (lshw XML, LLDP XML); XPath tag definitions are
-- evaluated against them.
CREATE TABLE node_probed_details (
    node_id bigint PRIMARY KEY REFERENCES node(id) ON DELETE CASCADE,
    lshw    text,
    lldp    text
);

CREATE TABLE tag (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    definition  text NOT NULL DEFAULT '',
    comment     text NOT NULL DEFAULT '',
    kernel_opts text NOT NULL DEFAULT '',
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE node_tag (
    node_id bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    tag_id  bigint NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
    PRIMARY KEY (node_id, tag_id)
);
CREATE INDEX node_tag_tag ON node_tag (tag_id);

-- Events keep the node's identity as text too, so history survives the node's deletion.
CREATE TABLE event (
    id              bigserial PRIMARY KEY,
    type            text NOT NULL,
    level           integer NOT NULL,
    node_id         bigint REFERENCES node(id) ON DELETE SET NULL,
    node_system_id  text,
    node_hostname   text NOT NULL DEFAULT '',
    user_id         bigint REFERENCES users(id) ON DELETE SET NULL,
    username        text NOT NULL DEFAULT '',
    action          text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    created         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_node ON event (node_id, id);
CREATE INDEX event_level ON event (level, id);

CREATE TABLE config (
    name    text PRIMARY KEY,
    value   jsonb NOT NULL
);

CREATE TABLE sshkey (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key         text NOT NULL,
    keysource   text,
    created     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, key)
);

CREATE TABLE notification (
    id          bigserial PRIMARY KEY,
    ident       text UNIQUE,
    user_id     bigint REFERENCES users(id) ON DELETE CASCADE,
    users       boolean NOT NULL DEFAULT false,
    admins      boolean NOT NULL DEFAULT false,
    message     text NOT NULL,
    context     jsonb NOT NULL DEFAULT '{}',
    category    text NOT NULL DEFAULT 'info' CHECK (category IN ('error', 'warning', 'success', 'info')),
    dismissable boolean NOT NULL DEFAULT true,
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notification_dismissal (
    notification_id bigint NOT NULL REFERENCES notification(id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (notification_id, user_id)
);
