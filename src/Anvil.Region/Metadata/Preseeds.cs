using Anvil.Data.Metadata;
using Anvil.Domain.Machines;
using Microsoft.AspNetCore.Http;
using Entry = System.Collections.Generic.KeyValuePair<string, object>;

namespace Anvil.Region.Metadata;

/// <summary>
/// The cloud-config the ephemeral environment reads at boot (maas-api.md §7.6): where the
/// metadata server is and, for a known node, its own credentials and the status webhook; where
/// to send syslog; and when to power off if nothing holds it up.
/// </summary>
internal static class Preseeds
{
    /// <summary>Commissioning-like runs end within an hour; erasing large disks may take a week.</summary>
    private const int PoweroffTimeoutSeconds = 3600;
    private const int DiskErasingPoweroffTimeoutSeconds = 604800;
    private const int EnlistmentPoweroffTimeoutSeconds = 1800;

    /// <remarks>
    /// No power_state keeps the machine up when its work is done: rescue mode, deployment, and
    /// commissioning or testing started with <c>enable_ssh</c> (the runner then lets the owner's
    /// keys in over SSH).
    /// </remarks>
    public static string ForNode(NodeKey key, NodeStatus status, bool enableSsh, HttpRequest request)
    {
        var metadata = MetadataUrls.Base(request);
        var document = new List<Entry>
        {
            E("manage_etc_hosts", true),
            E("datasource", Map(E("MAAS", Map(
                E("metadata_url", metadata),
                E("consumer_key", key.ConsumerKey),
                E("token_key", key.TokenKey),
                E("token_secret", key.TokenSecret))))),
            E("reporting", Map(E("maas", Map(
                E("type", "webhook"),
                E("endpoint", $"{metadata}status/{key.SystemId}"),
                E("consumer_key", key.ConsumerKey),
                E("token_key", key.TokenKey),
                E("token_secret", key.TokenSecret))))),
        };
        AddSyslog(document, request);
        var staysUp = status is NodeStatus.ENTERING_RESCUE_MODE or NodeStatus.RESCUE_MODE or NodeStatus.DEPLOYING or NodeStatus.DEPLOYED
            || (enableSsh && status is NodeStatus.COMMISSIONING or NodeStatus.TESTING);
        if (!staysUp)
            document.Add(PowerOff(status == NodeStatus.DISK_ERASING ? DiskErasingPoweroffTimeoutSeconds : PoweroffTimeoutSeconds));
        return CloudConfigYaml.Write(document);
    }

    /// <summary>For an unknown machine: the metadata URL only; it enlists itself anonymously and then fetches its own preseed.</summary>
    public static string ForEnlistment(HttpRequest request)
    {
        var document = new List<Entry>
        {
            E("manage_etc_hosts", true),
            E("datasource", Map(E("MAAS", Map(E("metadata_url", MetadataUrls.Base(request)))))),
        };
        AddSyslog(document, request);
        document.Add(PowerOff(EnlistmentPoweroffTimeoutSeconds));
        return CloudConfigYaml.Write(document);
    }

    private static void AddSyslog(List<Entry> document, HttpRequest request)
    {
        if (MetadataUrls.RackHost(request) is { } rack)
            document.Add(E("rsyslog", Map(E("remotes", Map(E("maas", $"{rack}:{MetadataUrls.RackSyslogPort}"))))));
    }

    private static Entry PowerOff(int timeoutSeconds) => E("power_state", Map(
        E("delay", "now"),
        E("mode", "poweroff"),
        E("timeout", timeoutSeconds),
        E("condition", "test ! -e /tmp/block-poweroff")));

    private static Entry[] Map(params Entry[] entries) => entries;

    private static Entry E(string key, object value) => new(key, value);
}
