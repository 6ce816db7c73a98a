-- Commissioning, testing and release scripts, the sets of them a node runs, and their results
-- (maas-api.md §7.3–7.4, MAAS's Script / ScriptSet / ScriptResult), plus each node's own OAuth
-- token for the metadata server (MAAS's NodeKey).

-- MAAS enums as integers: script_type COMMISSIONING 0, TESTING 2, RELEASE 3;
-- hardware_type NODE 0, CPU 1, MEMORY 2, STORAGE 3, NETWORK 4, GPU 5;
-- parallel DISABLED 0, INSTANCE 1, ANY 2.
CREATE TABLE script (
    id                          bigserial PRIMARY KEY,
    name                        text NOT NULL UNIQUE,
    title                       text NOT NULL DEFAULT '',
    description                 text NOT NULL DEFAULT '',
    tags                        text[] NOT NULL DEFAULT '{}',
    script_type                 integer NOT NULL DEFAULT 2 CHECK (script_type IN (0, 2, 3)),
    hardware_type               integer NOT NULL DEFAULT 0 CHECK (hardware_type BETWEEN 0 AND 5),
    parallel                    integer NOT NULL DEFAULT 0 CHECK (parallel BETWEEN 0 AND 2),
    timeout_seconds             integer NOT NULL DEFAULT 0 CHECK (timeout_seconds >= 0),
    destructive                 boolean NOT NULL DEFAULT false,
    -- built in (shipped with Anvil, cannot be deleted or edited), MAAS's "default"
    is_default                  boolean NOT NULL DEFAULT false,
    may_reboot                  boolean NOT NULL DEFAULT false,
    recommission                boolean NOT NULL DEFAULT false,
    apply_configured_networking boolean NOT NULL DEFAULT false,
    for_hardware                text[] NOT NULL DEFAULT '{}',
    parameters                  jsonb NOT NULL DEFAULT '{}',
    packages                    jsonb NOT NULL DEFAULT '{}',
    results                     jsonb NOT NULL DEFAULT '{}',
    created                     timestamptz NOT NULL DEFAULT now(),
    updated                     timestamptz NOT NULL DEFAULT now()
);

-- Every upload of a script's text is a version; the script runs its latest, revert goes back.
CREATE TABLE script_version (
    id        bigserial PRIMARY KEY,
    script_id bigint NOT NULL REFERENCES script(id) ON DELETE CASCADE,
    data      text NOT NULL,
    comment   text NOT NULL DEFAULT '',
    created   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX script_version_script ON script_version (script_id, id DESC);

-- result_type COMMISSIONING 0, INSTALLATION 1, TESTING 2, RELEASE 3.
CREATE TABLE script_set (
    id                             bigserial PRIMARY KEY,
    node_id                        bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    result_type                    integer NOT NULL CHECK (result_type BETWEEN 0 AND 3),
    last_ping                      timestamptz,
    power_state_before_transition  text NOT NULL DEFAULT 'unknown',
    tags                           text[] NOT NULL DEFAULT '{}',
    requested_scripts              text[] NOT NULL DEFAULT '{}',
    created                        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX script_set_node ON script_set (node_id, result_type, id DESC);

-- status PENDING 0, RUNNING 1, PASSED 2, FAILED 3, TIMEDOUT 4, ABORTED 5, DEGRADED 6,
-- INSTALLING 7, FAILED_INSTALLING 8, SKIPPED 9, APPLYING_NETCONF 10, FAILED_APPLYING_NETCONF 11.
CREATE TABLE script_result (
    id                       bigserial PRIMARY KEY,
    script_set_id            bigint NOT NULL REFERENCES script_set(id) ON DELETE CASCADE,
    -- NULL for results the runner reports for a script Anvil did not send (MAAS keeps the name)
    script_id                bigint REFERENCES script(id) ON DELETE SET NULL,
    script_version_id        bigint REFERENCES script_version(id) ON DELETE SET NULL,
    script_name              text NOT NULL,
    status                   integer NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 11),
    exit_status              integer,
    output                   bytea NOT NULL DEFAULT '',
    stdout                   bytea NOT NULL DEFAULT '',
    stderr                   bytea NOT NULL DEFAULT '',
    result                   bytea NOT NULL DEFAULT '',
    parameters               jsonb NOT NULL DEFAULT '{}',
    physical_blockdevice_id  bigint REFERENCES blockdevice(id) ON DELETE CASCADE,
    interface_id             bigint REFERENCES interface(id) ON DELETE CASCADE,
    suppressed               boolean NOT NULL DEFAULT false,
    started                  timestamptz,
    ended                    timestamptz,
    created                  timestamptz NOT NULL DEFAULT now(),
    updated                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX script_result_set ON script_result (script_set_id);

ALTER TABLE node
    ADD CONSTRAINT node_current_commissioning_result FOREIGN KEY (current_commissioning_result_id) REFERENCES script_set(id) ON DELETE SET NULL,
    ADD CONSTRAINT node_current_testing_result FOREIGN KEY (current_testing_result_id) REFERENCES script_set(id) ON DELETE SET NULL,
    ADD CONSTRAINT node_current_installation_result FOREIGN KEY (current_installation_result_id) REFERENCES script_set(id) ON DELETE SET NULL,
    ADD COLUMN current_release_result_id bigint REFERENCES script_set(id) ON DELETE SET NULL;

-- The metadata server knows a node by its own OAuth token (MAAS's NodeKey, owned by the
-- maas-init-node user). Unlike users' token secrets this one is kept in clear: the preseed the
-- node fetches at every boot must carry it (maas-api.md §7.6). It only identifies the node to the
-- metadata server and is never logged.
CREATE TABLE node_key (
    node_id       bigint PRIMARY KEY REFERENCES node(id) ON DELETE CASCADE,
    consumer_key  text NOT NULL UNIQUE,
    token_key     text NOT NULL UNIQUE,
    token_secret  text NOT NULL,
    created       timestamptz NOT NULL DEFAULT now()
);
