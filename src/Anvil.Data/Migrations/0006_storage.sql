-- Storage configuration of a node (maas-api.md §3.9, §14): partition tables, file systems,
-- file-system groups (LVM volume groups, RAIDs, bcaches), bcache cache sets and the virtual
-- block devices the groups expose. Physical disks stay as commissioning writes them.

ALTER TABLE blockdevice
    ADD COLUMN partition_table_type text CHECK (partition_table_type IN ('GPT', 'MBR'));

CREATE TABLE cache_set (
    id      bigserial PRIMARY KEY,
    node_id bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    name    text NOT NULL,
    UNIQUE (node_id, name)
);

CREATE TABLE filesystem_group (
    id           bigserial PRIMARY KEY,
    node_id      bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    group_type   text NOT NULL CHECK (group_type IN ('lvm-vg', 'raid-0', 'raid-1', 'raid-5', 'raid-6', 'raid-10', 'bcache')),
    name         text NOT NULL,
    uuid         text NOT NULL,
    cache_mode   text CHECK (cache_mode IN ('writeback', 'writethrough', 'writearound')),
    -- A cache set in use by a bcache cannot go away underneath it.
    cache_set_id bigint REFERENCES cache_set(id) ON DELETE RESTRICT,
    CHECK ((group_type = 'bcache') = (cache_set_id IS NOT NULL AND cache_mode IS NOT NULL)),
    UNIQUE (node_id, name)
);

-- A virtual block device (logical volume, md device, bcache device) belongs to the group that
-- makes it, and goes with it.
ALTER TABLE blockdevice
    ADD COLUMN filesystem_group_id bigint REFERENCES filesystem_group(id) ON DELETE CASCADE,
    ADD CONSTRAINT blockdevice_virtual_has_group CHECK ((type = 'virtual') = (filesystem_group_id IS NOT NULL)),
    ADD CONSTRAINT blockdevice_type_known CHECK (type IN ('physical', 'virtual'));

CREATE INDEX blockdevice_filesystem_group ON blockdevice (filesystem_group_id) WHERE filesystem_group_id IS NOT NULL;

CREATE TABLE filesystem (
    id                  bigserial PRIMARY KEY,
    node_id             bigint NOT NULL REFERENCES node(id) ON DELETE CASCADE,
    blockdevice_id      bigint REFERENCES blockdevice(id) ON DELETE CASCADE,
    partition_id        bigint REFERENCES partition(id) ON DELETE CASCADE,
    fstype              text NOT NULL CHECK (fstype IN ('ext2', 'ext4', 'xfs', 'fat32', 'vfat', 'lvm-pv', 'raid', 'raid-spare',
                                                        'bcache-cache', 'bcache-backing', 'swap', 'ramfs', 'tmpfs', 'btrfs', 'zfsroot')),
    label               text,
    uuid                text,
    mount_point         text,
    mount_options       text,
    -- Membership: lvm-pv, raid, raid-spare and bcache-backing belong to a group, bcache-cache to a cache set.
    filesystem_group_id bigint REFERENCES filesystem_group(id) ON DELETE CASCADE,
    cache_set_id        bigint REFERENCES cache_set(id) ON DELETE CASCADE,
    -- A disk or a partition holds at most one file system, and so is used by at most one thing.
    UNIQUE (blockdevice_id),
    UNIQUE (partition_id),
    CHECK (num_nonnulls(blockdevice_id, partition_id) <= 1),
    -- tmpfs and ramfs live on the node itself; everything else on a disk or a partition.
    CHECK ((blockdevice_id IS NULL AND partition_id IS NULL) = (fstype IN ('tmpfs', 'ramfs'))),
    CHECK ((fstype IN ('lvm-pv', 'raid', 'raid-spare', 'bcache-backing')) = (filesystem_group_id IS NOT NULL)),
    CHECK ((fstype = 'bcache-cache') = (cache_set_id IS NOT NULL)),
    CHECK (mount_point IS NULL OR fstype NOT IN ('lvm-pv', 'raid', 'raid-spare', 'bcache-cache', 'bcache-backing'))
);

CREATE INDEX filesystem_node ON filesystem (node_id);
CREATE INDEX filesystem_group_members ON filesystem (filesystem_group_id) WHERE filesystem_group_id IS NOT NULL;
-- Two file systems of one node are never mounted at the same place (swap's mount point is 'none').
CREATE UNIQUE INDEX filesystem_mount_point ON filesystem (node_id, mount_point) WHERE mount_point IS NOT NULL AND mount_point <> 'none';
