-- Boot images (maas-api.md §3.17, §8.4): resources, their sets and files; the simplestreams
-- sources they are imported from and the selections that say what to import; what each rack
-- controller reports it holds.

-- rtype: MAAS's BOOT_RESOURCE_TYPE, SYNCED 0 (imported) and UPLOADED 2.
-- name: 'os/series', 'custom/name' or a bare name (a custom image); architecture: 'arch/subarch'.
CREATE TABLE boot_resource (
    id              bigserial PRIMARY KEY,
    rtype           integer NOT NULL CHECK (rtype IN (0, 2)),
    name            text NOT NULL,
    architecture    text NOT NULL,
    extra           jsonb NOT NULL DEFAULT '{}',
    base_image      text NOT NULL DEFAULT '',
    kflavor         text NOT NULL DEFAULT '',
    bootloader_type text NOT NULL DEFAULT '',
    last_deployed   timestamptz,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (name, architecture)
);

-- One release of a resource: version e.g. '20240301' (or '20240301.1'), label e.g. 'stable' or 'uploaded'.
CREATE TABLE boot_resource_set (
    id          bigserial PRIMARY KEY,
    resource_id bigint NOT NULL REFERENCES boot_resource(id) ON DELETE CASCADE,
    version     text NOT NULL,
    label       text NOT NULL,
    created     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (resource_id, version)
);

-- A file of a set. Its content lives in the region's store as <data-dir>/images/<sha256>;
-- bytes_present counts what has arrived so far (size when complete), so uploads and imports resume.
CREATE TABLE boot_resource_file (
    id            bigserial PRIMARY KEY,
    set_id        bigint NOT NULL REFERENCES boot_resource_set(id) ON DELETE CASCADE,
    filename      text NOT NULL,
    filetype      text NOT NULL,
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size          bigint NOT NULL CHECK (size >= 0),
    bytes_present bigint NOT NULL DEFAULT 0 CHECK (bytes_present >= 0 AND bytes_present <= size),
    extra         jsonb NOT NULL DEFAULT '{}',
    UNIQUE (set_id, filename)
);
CREATE INDEX boot_resource_file_sha256 ON boot_resource_file (sha256);

-- A simplestreams mirror, e.g. http://images.maas.io/ephemeral-v3/stable/ (no default row: an
-- operator adds the source; tests never reach the internet).
CREATE TABLE boot_source (
    id                        bigserial PRIMARY KEY,
    url                       text NOT NULL UNIQUE,
    keyring_filename          text NOT NULL DEFAULT '',
    keyring_data              bytea NOT NULL DEFAULT '',
    priority                  integer NOT NULL DEFAULT 0,
    enabled                   boolean NOT NULL DEFAULT true,
    skip_keyring_verification boolean NOT NULL DEFAULT false,
    name                      text NOT NULL DEFAULT '',
    created                   timestamptz NOT NULL DEFAULT now(),
    updated                   timestamptz NOT NULL DEFAULT now()
);

-- What to import from a source; '*' in a list matches anything.
CREATE TABLE boot_source_selection (
    id             bigserial PRIMARY KEY,
    boot_source_id bigint NOT NULL REFERENCES boot_source(id) ON DELETE CASCADE,
    os             text NOT NULL,
    release        text NOT NULL,
    arches         text[] NOT NULL DEFAULT '{*}',
    subarches      text[] NOT NULL DEFAULT '{*}',
    labels         text[] NOT NULL DEFAULT '{*}',
    created        timestamptz NOT NULL DEFAULT now(),
    updated        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (boot_source_id, os, release)
);

-- What a rack controller last reported holding: the manifest version it has completely and the
-- images (name, architecture, subarches) it can serve; read by list_boot_images.
CREATE TABLE rack_boot_images (
    node_id        bigint PRIMARY KEY REFERENCES node(id) ON DELETE CASCADE,
    synced_version text NOT NULL DEFAULT '',
    images         jsonb NOT NULL DEFAULT '[]',
    reported       timestamptz NOT NULL DEFAULT now()
);
