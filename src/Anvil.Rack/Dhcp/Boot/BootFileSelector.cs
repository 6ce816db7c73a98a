namespace Anvil.Rack.Dhcp.Boot;

/// <summary>
/// Chooses the boot method for a client, as MAAS's generated if/elsif chain does: iPXE first (it
/// also sends a firmware architecture, and must get its script rather than another loader), then
/// the architecture, then <c>pxe</c> as the final else (unknown architectures included). A method the subnet disabled gets no boot
/// file at all rather than a fallback the firmware could not run.
/// </summary>
internal static class BootFileSelector
{
    public static BootMethod? Select(BootClient client, IReadOnlyCollection<string> disabled)
    {
        var method = client.IsIpxe ? BootMethods.Ipxe
            : client.Architecture is { } arch ? BootMethods.ByArchitecture.GetValueOrDefault(arch, BootMethods.Pxe)
            : BootMethods.Pxe;
        return disabled.Contains(method.Name) ? null : method;
    }
}
