namespace Anvil.Region.Api.Framework;

/// <summary>What <c>version/</c> reports. Clients (Juju, the CLI) gate features on the capability strings.</summary>
public static class MaasVersion
{
    /// <summary>The MAAS release whose API 2.0 behaviour Anvil follows, marked as Anvil's.</summary>
    public const string Version = "3.5.0-anvil";

    public const string Subversion = "";

    /// <summary>The body of <c>GET /MAAS/api/version/</c>.</summary>
    public const string ApiVersion = "2.0";

    /// <summary>Exactly MAAS's capability strings, in MAAS's order.</summary>
    public static IReadOnlyList<string> Capabilities { get; } =
    [
        "networks-management",
        "static-ipaddresses",
        "ipv6-deployment-ubuntu",
        "devices-management",
        "storage-deployment-ubuntu",
        "network-deployment-ubuntu",
        "bridging-interface-ubuntu",
        "bridging-automatic-ubuntu",
        "authenticate-api",
    ];
}
