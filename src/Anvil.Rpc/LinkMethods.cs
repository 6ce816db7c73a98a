namespace Anvil.Rpc;

/// <summary>The calls on the link (maas-api.md §9 has MAAS's equivalents), by the side that serves them.</summary>
public static class LinkMethods
{
    // Served by the region, called by racks.
    public const string RegisterRack = "register_rack";
    public const string GetRackConfig = "get_rack_config";
    public const string GetBootConfig = "get_boot_config";
    public const string UpdateLeases = "update_leases";
    public const string UpdateServices = "update_services";
    public const string GetBootImages = "get_boot_images";
    public const string ReportBootImages = "report_boot_images";
    public const string RecordBootEvents = "record_boot_events";

    // Served by racks, called by the region.
    public const string Power = "power";

    // Served by both sides.
    public const string Ping = "ping";
}
