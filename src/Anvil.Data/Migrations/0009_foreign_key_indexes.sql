-- An index for every foreign key that had none (ForeignKeyIndexTests keeps it so). Without one,
-- deleting or re-keying a referenced row scans the referencing table while holding its locks, and
-- lookups by the key scan the whole table (the 1,000-machine fleet showed node_device, read and
-- rewritten per machine during commissioning). Nullable keys get partial indexes.
CREATE INDEX dhcpsnippet_iprange_id_fk ON dhcpsnippet (iprange_id) WHERE iprange_id IS NOT NULL;
CREATE INDEX dhcpsnippet_node_id_fk ON dhcpsnippet (node_id) WHERE node_id IS NOT NULL;
CREATE INDEX dhcpsnippet_subnet_id_fk ON dhcpsnippet (subnet_id) WHERE subnet_id IS NOT NULL;
CREATE INDEX dhcpsnippet_history_dhcpsnippet_id_fk ON dhcpsnippet_history (dhcpsnippet_id);
CREATE INDEX dnsresource_domain_id_fk ON dnsresource (domain_id);
CREATE INDEX dnsresource_ip_staticipaddress_id_fk ON dnsresource_ip (staticipaddress_id);
CREATE INDEX event_user_id_fk ON event (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX filesystem_cache_set_id_fk ON filesystem (cache_set_id) WHERE cache_set_id IS NOT NULL;
CREATE INDEX filesystem_group_cache_set_id_fk ON filesystem_group (cache_set_id) WHERE cache_set_id IS NOT NULL;
CREATE INDEX interface_vlan_id_fk ON interface (vlan_id) WHERE vlan_id IS NOT NULL;
CREATE INDEX iprange_user_id_fk ON iprange (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX node_current_commissioning_result_id_fk ON node (current_commissioning_result_id) WHERE current_commissioning_result_id IS NOT NULL;
CREATE INDEX node_current_installation_result_id_fk ON node (current_installation_result_id) WHERE current_installation_result_id IS NOT NULL;
CREATE INDEX node_current_release_result_id_fk ON node (current_release_result_id) WHERE current_release_result_id IS NOT NULL;
CREATE INDEX node_current_testing_result_id_fk ON node (current_testing_result_id) WHERE current_testing_result_id IS NOT NULL;
CREATE INDEX node_domain_id_fk ON node (domain_id);
CREATE INDEX node_parent_id_fk ON node (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX node_pool_id_fk ON node (pool_id) WHERE pool_id IS NOT NULL;
CREATE INDEX node_zone_id_fk ON node (zone_id);
CREATE INDEX node_device_node_id_fk ON node_device (node_id);
CREATE INDEX notification_user_id_fk ON notification (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX notification_dismissal_user_id_fk ON notification_dismissal (user_id);
CREATE INDEX script_result_interface_id_fk ON script_result (interface_id) WHERE interface_id IS NOT NULL;
CREATE INDEX script_result_physical_blockdevice_id_fk ON script_result (physical_blockdevice_id) WHERE physical_blockdevice_id IS NOT NULL;
CREATE INDEX script_result_script_id_fk ON script_result (script_id) WHERE script_id IS NOT NULL;
CREATE INDEX script_result_script_version_id_fk ON script_result (script_version_id) WHERE script_version_id IS NOT NULL;
CREATE INDEX staticipaddress_user_id_fk ON staticipaddress (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX staticroute_destination_id_fk ON staticroute (destination_id);
CREATE INDEX vlan_primary_rack_id_fk ON vlan (primary_rack_id) WHERE primary_rack_id IS NOT NULL;
CREATE INDEX vlan_relay_vlan_id_fk ON vlan (relay_vlan_id) WHERE relay_vlan_id IS NOT NULL;
CREATE INDEX vlan_space_id_fk ON vlan (space_id) WHERE space_id IS NOT NULL;
CREATE INDEX vlan_secondary_rack_id_fk ON vlan (secondary_rack_id) WHERE secondary_rack_id IS NOT NULL;
