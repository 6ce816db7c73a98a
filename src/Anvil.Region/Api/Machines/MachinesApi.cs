using Anvil.Region.Api.Framework;
using Anvil.Region.Api.Resources;
using static Anvil.Region.Api.Framework.ApiParam;

namespace Anvil.Region.Api.Machines;

/// <summary>
/// The machines resources (maas-api.md §3.5): <c>machines/</c> (with its anonymous enlistment
/// variant) and <c>machines/{system_id}/</c>, and the generic <c>nodes/</c> resources (§3.4) that
/// share their code. The handlers' code is in the partial files beside this one.
/// </summary>
internal static partial class MachinesApi
{
    public static void Map(ApiCatalogBuilder api)
    {
        MapMachines(api);
        MapNodes(api);
    }

    private static void MapNodes(ApiCatalogBuilder api)
    {
        api.AnonHandler("AnonNodesHandler", "nodes/", "Anonymous access to nodes.")
            .Get("is_registered", IsRegisteredAnonAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Get("is_action_in_progress", IsActionInProgressAsync, "Returns whether or not there is a deployment or commissioning in progress for the node with the given MAC address.",
                String("mac_address", "The MAC address to be checked.", required: true));

        api.Handler("NodesHandler", "nodes/", "Manage the collection of all the nodes in the MAAS.")
            .Read(ListNodesAsync, "List nodes.\nLists nodes of every type (machines, devices, controllers), optionally filtered.", ReadFilters())
            .Get("is_registered", IsRegisteredAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Post("set_zone", SetZoneAsync, "Assign nodes to a zone.", ApiAccess.Admin,
                String("zone", "The zone name.", required: true),
                Strings("nodes", "The system_ids of the nodes to move.", required: true));

        api.Handler("NodeHandler", "nodes/{system_id}/", "Manage an individual node.")
            .Read(ReadAsync, "Read a node.\nReads a node with the given system_id.")
            .Delete(DeleteAsync, "Delete a node.\nDeletes the node with the given system_id (admin).")
            .Get("details", DetailsAsync, "Get system details.\nReturns the probed details (lshw, lldp) as BSON.")
            .Get("power_parameters", PowerParametersAsync, "Get power parameters (admin).");
    }

    private static void MapMachines(ApiCatalogBuilder api)
    {
        api.AnonHandler("AnonMachinesHandler", "machines/", "Anonymous access to Machines.")
            .Create(EnlistAsync, "Create a new machine (enlistment).\nAdds a machine in the New state; used by the enlistment environment.",
                String("architecture", "The architecture type of the machine, e.g. amd64/generic.", required: true),
                Strings("mac_addresses", "One or more MAC addresses for the machine.", required: true),
                String("hostname", "A hostname; a friendly one is generated if omitted."),
                String("description", "A description of the machine."),
                String("subarchitecture", "The subarchitecture type of the machine."),
                String("min_hwe_kernel", "The minimum kernel version allowed to run on this machine."),
                String("power_type", "A power management type, if known."),
                String("power_parameters", "A JSON object of power parameters."),
                String("domain", "The domain of the machine."),
                Bool("commission", "Commission the machine after enlisting it (default false for enlistment)."))
            .Get("is_registered", IsRegisteredAnonAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Get("is_action_in_progress", IsActionInProgressAsync, "Returns whether or not there is a deployment or commissioning in progress for the machine with the given MAC address.",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Post("accept", AcceptAnonAsync, "Accept a machine's enlistment.\nAnonymous callers cannot accept machines.");

        api.Handler("MachinesHandler", "machines/", "Manage the collection of all the machines in the MAAS.")
            .Read(ListAsync, "List machines.\nLists machines, optionally filtered by the same constraints allocate accepts.", ReadFilters())
            .Create(CreateAsync, "Create a new machine.\nAdds a new machine to MAAS; by default it is commissioned.",
                String("architecture", "The architecture type of the machine, e.g. amd64/generic.", required: true),
                Strings("mac_addresses", "One or more MAC addresses for the machine.", required: true),
                String("hostname", "A hostname; a friendly one is generated if omitted."),
                String("description", "A description of the machine."),
                String("subarchitecture", "The subarchitecture type of the machine."),
                String("min_hwe_kernel", "The minimum kernel version allowed to run on this machine."),
                String("power_type", "A power management type (e.g. manual)."),
                String("power_parameters_{param}", "Power parameters, one field per parameter."),
                Bool("power_parameters_skip_check", "Skip validation of the power parameters."),
                String("domain", "The domain of the machine."),
                String("zone", "The zone of the machine."),
                String("pool", "The resource pool of the machine."),
                Bool("commission", "Start commissioning right away (default true)."),
                Bool("deployed", "Create the machine as already deployed (owned by the caller)."),
                Bool("enable_ssh", "Keep SSH open in the commissioning environment."),
                Bool("skip_bmc_config", "Do not configure the BMC during commissioning."),
                Bool("skip_networking", "Keep the current network configuration."),
                Bool("skip_storage", "Keep the current storage configuration."),
                ApiError.BadRequest("A field is invalid."))
            .Post("allocate", AllocateAsync, "Allocate a machine.\nAllocates an available machine matching the constraints for deployment.", AllocateParams())
            .Post("release", ReleaseManyAsync, "Release machines.\nReleases multiple machines at once; machines already Ready are skipped.",
                Strings("machines", "A list of system_ids of the machines which are to be released.", required: true),
                String("comment", "Optional comment for the event log."),
                ApiError.Conflict("One of the machines cannot be released in its current state."))
            .Post("accept", AcceptAsync, "Accept declared machines into MAAS.\nAccepting a New machine starts its commissioning.",
                Strings("machines", "A list of system_ids of the machines whose enlistment is to be accepted."))
            .Post("accept_all", AcceptAllAsync, "Accept all declared machines into MAAS.", ApiAccess.Admin)
            .Get("list_allocated", ListAllocatedAsync, "List allocated machines.\nLists machines allocated to the calling user.",
                Strings("id", "System ids to restrict the list to."))
            .Get("is_registered", IsRegisteredAsync, "Returns whether or not the given MAC address is registered within this MAAS (and attached to a non-retired node).",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Get("is_action_in_progress", IsActionInProgressAsync, "Returns whether or not there is a deployment or commissioning in progress for the machine with the given MAC address.",
                String("mac_address", "The MAC address to be checked.", required: true))
            .Get("power_parameters", PowerParametersManyAsync, "Get power parameters of multiple machines.\nAdmin only; returns a map of system_id to power parameters.", ApiAccess.Admin,
                Strings("id", "System ids of the machines; all machines when omitted."))
            .Post("set_zone", SetZoneAsync, "Assign nodes to a zone.", ApiAccess.Admin,
                String("zone", "The zone name.", required: true),
                Strings("nodes", "The system_ids of the nodes to move.", required: true))
            .Post("set_pool", SetPoolAsync, "Assign machines to a resource pool (Anvil extension).", ApiAccess.Admin,
                String("pool", "The pool name.", required: true),
                Strings("machines", "The system_ids of the machines to move.", required: true));

        api.Handler("MachineHandler", "machines/{system_id}/", "Manage an individual machine.")
            .Read(ReadAsync, "Read a node.\nReads a node with the given system_id.")
            .Post("set_storage_layout", Storage.StorageLayoutApi.SetStorageLayoutAsync, "Change the storage layout.\nReplaces the machine's storage configuration with a layout (Ready machines, admin).", Storage.StorageLayoutApi.Params())
            .Update(UpdateAsync, "Update a machine.\nUpdates a machine with the given system_id (admin).", UpdateParams())
            .Delete(DeleteAsync, "Delete a machine.\nDeletes the machine with the given system_id (admin).",
                Bool("force", "Delete even if the machine is in use."))
            .Post("deploy", DeployAsync, "Deploy a machine.\nDeploys an operating system to a machine; a Ready machine is allocated to the caller first.",
                String("user_data", "Base64-encoded cloud-init user data."),
                String("distro_series", "The OS release to deploy, e.g. noble, ubuntu/noble or 24.04; it needs an image for the machine's architecture."),
                String("osystem", "The OS the release belongs to; alone, its newest release with an image."),
                String("hwe_kernel", "The kernel to use (the image's own, e.g. ga-24.04)."),
                String("license_key", "License key for the OS (if it needs one)."),
                String("agent_name", "An optional agent name to attach to the acquired machine."),
                String("comment", "Optional comment for the event log."),
                Bool("ephemeral_deploy", "Deploy to RAM instead of disk."),
                Bool("enable_kernel_crash_dump", "Enable the kernel crash dump."),
                Bool("enable_hw_sync", "Periodically sync hardware details."),
                ApiError.BadRequest("No image for the release on the machine's architecture, or a kernel it cannot boot (field errors)."),
                ApiError.Conflict("The machine is not Ready/Allocated or belongs to someone else."))
            .Post("release", ReleaseAsync, "Release a machine.\nReleases a machine; it returns to Ready.",
                String("comment", "Optional comment for the event log."),
                Bool("erase", "Erase the disks when releasing."),
                Bool("secure_erase", "Use the drive's secure erase feature if available."),
                Bool("quick_erase", "Wipe 2MiB at the start and at the end of the drive."),
                Bool("force", "Release even if the machine is in a state that does not allow it (admin)."),
                ApiError.Conflict("The machine cannot be released in its current state."))
            .Post("commission", CommissionAsync, "Begin commissioning process for a machine.",
                Bool("enable_ssh", "Keep SSH open in the commissioning environment."),
                Bool("skip_bmc_config", "Do not configure the BMC."),
                Bool("skip_networking", "Keep the current network configuration."),
                Bool("skip_storage", "Keep the current storage configuration."),
                String("commissioning_scripts", "Comma-separated commissioning script names or tags."),
                String("testing_scripts", "Comma-separated testing script names or tags; 'none' to skip."))
            .Post("test", TestAsync, "Begin testing process for a machine.",
                Bool("enable_ssh", "Keep SSH open in the testing environment."),
                String("testing_scripts", "Comma-separated testing script names or tags."))
            .Post("abort", AbortAsync, "Abort a machine's current operation.", String("comment", "Optional comment for the event log."))
            .Post("mark_broken", MarkBrokenAsync, "Mark a machine as Broken.",
                String("comment", "Optional comment for the event log."),
                String("error_description", "Legacy name of comment."))
            .Post("mark_fixed", MarkFixedAsync, "Mark a broken machine as fixed.", String("comment", "Optional comment for the event log."))
            .Post("lock", LockAsync, "Lock a machine.\nPrevents changes to a deployed machine.", String("comment", "Optional comment for the event log."))
            .Post("unlock", UnlockAsync, "Unlock a machine.", String("comment", "Optional comment for the event log."))
            .Post("rescue_mode", RescueModeAsync, "Enter rescue mode.")
            .Post("exit_rescue_mode", ExitRescueModeAsync, "Exit rescue mode.")
            .Post("override_failed_testing", OverrideFailedTestingAsync, "Ignore failed tests.", String("comment", "Optional comment for the event log."))
            .Post("power_on", PowerOnAsync, "Turn on a machine.",
                String("user_data", "Base64-encoded user data."),
                String("comment", "Optional comment for the event log."))
            .Post("power_off", PowerOffAsync, "Power off a machine.",
                String("stop_mode", "soft to ask the OS to shut down, hard otherwise (default)."),
                String("comment", "Optional comment for the event log."))
            .Get("query_power_state", QueryPowerStateAsync, "Query the power state of a machine.")
            .Get("power_parameters", PowerParametersAsync, "Get power parameters (admin).")
            .Get("details", DetailsAsync, "Get system details.\nReturns the probed details (lshw, lldp) as BSON.")
            .Get("get_token", GetTokenAsync, "Get a machine token (admin).")
            .Get("boot_timeline", BootTimelineAsync, "Get the machine's boot timeline (Anvil).\nDHCP, TFTP and HTTP seen by the racks, metadata calls, signals, installer progress, power actions and status changes, oldest first, with microsecond timestamps.",
                BootTimelineApi.WindowParams())
            .Post("set_workload_annotations", SetWorkloadAnnotationsAsync, "Set key=value data for the current owner.\nAn empty value deletes the key.",
                String("{key}", "Any key=value pair."))
            .Post("set_owner_data", SetWorkloadAnnotationsAsync, "Deprecated alias of set_workload_annotations.", String("{key}", "Any key=value pair."));
    }

    private static ApiSpecItem[] UpdateParams() =>
    [
        String("hostname", "The new hostname."),
        String("description", "The new description."),
        String("domain", "The domain name."),
        String("architecture", "The architecture, e.g. amd64/generic."),
        String("min_hwe_kernel", "The minimum kernel version."),
        String("power_type", "The power type (e.g. manual)."),
        String("power_parameters_{param}", "Power parameters, one field per parameter."),
        Bool("power_parameters_skip_check", "Skip validation of the power parameters."),
        String("pool", "The resource pool."),
        String("zone", "The zone."),
        Int("swap_size", "Swap size in bytes; empty to use the default."),
        Bool("disable_ipv4", "Deprecated; kept for compatibility."),
        Int("cpu_count", "The number of CPU cores."),
        Int("memory", "The memory in MiB."),
    ];

    private static ApiSpecItem[] ReadFilters() =>
    [
        Strings("hostname", "Only nodes with these hostnames."),
        Strings("id", "Only nodes with these system ids."),
        Strings("mac_address", "Only nodes with these MAC addresses."),
        Strings("domain", "Only nodes in these domains."),
        Strings("zone", "Only nodes in these zones."),
        Strings("pool", "Only nodes in these pools."),
        Strings("status", "Only nodes with these statuses (e.g. ready)."),
        Strings("simple_status", "Only nodes with these simplified statuses."),
        Strings("tags", "Only nodes with all these tags."),
        Strings("not_tags", "Only nodes with none of these tags."),
        Strings("arch", "Only nodes with these architectures."),
        Strings("owner", "Only nodes owned by these users."),
        Strings("agent_name", "Only nodes with these agent names."),
        Strings("power_state", "Only nodes in these power states."),
        String("cpu_count", "Minimum number of CPUs."),
        String("mem", "Minimum memory in MiB."),
        String("storage", "Storage constraints."),
        String("interfaces", "Interface constraints."),
    ];

    private static ApiSpecItem[] AllocateParams() =>
    [
        Strings("name", "Hostname or FQDN of the desired machine."),
        Strings("system_id", "System id of the desired machine."),
        Strings("arch", "Architecture of the returned machine (e.g. 'i386/generic', 'amd64', 'armhf/highbank')."),
        String("cpu_count", "Minimum number of CPUs a returned machine must have."),
        String("cpu_speed", "Minimum CPU speed in MHz."),
        String("mem", "Minimum amount of memory in MiB."),
        Strings("tags", "Tags the machine must match."),
        Strings("not_tags", "Tags the machine must NOT match."),
        Strings("zone", "Zone name(s) the machine must be in."),
        Strings("not_in_zone", "Zones the machine must NOT be in."),
        Strings("pool", "Resource pool(s) the machine must be in."),
        Strings("not_in_pool", "Resource pools the machine must NOT be in."),
        Strings("fabrics", "Fabrics the machine must be connected to."),
        Strings("not_fabrics", "Fabrics the machine must NOT be connected to."),
        Strings("fabric_classes", "Fabric classes the machine must be connected to."),
        Strings("not_fabric_classes", "Fabric classes the machine must NOT be connected to."),
        Strings("subnets", "Subnets that must be linked to the machine."),
        Strings("not_subnets", "Subnets that must NOT be linked to the machine."),
        Strings("vlans", "VLANs the machine must be connected to."),
        Strings("not_vlans", "VLANs the machine must NOT be connected to."),
        String("link_speed", "Minimum link speed in Mbps of some interface."),
        String("storage", "Storage constraints, e.g. 'root:100(ssd),data:200'; sizes in GB."),
        String("interfaces", "Labeled interface constraints, e.g. 'eth0:space=admin;eth1:fabric=f1'."),
        String("devices", "PCI/USB device constraints, e.g. 'vendor_id=8086,product_id=1234'."),
        String("agent_name", "An optional agent name to attach to the acquired machine."),
        String("comment", "Comment for the event log."),
        Bool("bridge_all", "Create a bridge on each interface when deploying."),
        String("bridge_type", "standard or ovs."),
        Bool("bridge_stp", "Turn spanning tree on for the bridges."),
        Int("bridge_fd", "Bridge forward delay in seconds."),
        Bool("dry_run", "Do not actually acquire the machine; just return the match."),
        Bool("verbose", "Include verbose constraint details in constraints_by_type."),
    ];
}
