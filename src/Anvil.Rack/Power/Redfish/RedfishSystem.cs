using System.Text.Json.Nodes;

namespace Anvil.Rack.Power.Redfish;

/// <summary>The parts of a Redfish ComputerSystem resource the driver acts on.</summary>
internal sealed record RedfishSystem(
    string Path,
    string? RawPowerState,
    string? ETag,
    string ResetTarget,
    IReadOnlyList<string> AllowableResetTypes,
    IReadOnlyList<string> AllowableBootTargets)
{
    public PowerState PowerState => RawPowerState switch
    {
        // PoweringOn/PoweringOff are transitions the BMC has already committed to.
        "On" or "PoweringOn" => PowerState.On,
        "Off" or "PoweringOff" => PowerState.Off,
        _ => PowerState.Unknown,
    };

    public static RedfishSystem From(string path, JsonObject body, string? etag)
    {
        var reset = body["Actions"]?["#ComputerSystem.Reset"];
        var target = reset?["target"].Text() ?? path.TrimEnd('/') + "/Actions/ComputerSystem.Reset";
        return new RedfishSystem(
            path,
            body[nameof(PowerState)].Text(),
            etag ?? body["@odata.etag"].Text(),
            target,
            Strings(reset?["ResetType@Redfish.AllowableValues"]),
            Strings(body["Boot"]?["BootSourceOverrideTarget@Redfish.AllowableValues"]));
    }

    /// <summary>The first of <paramref name="preferred"/> the BMC allows; BMCs that list nothing get the first.</summary>
    public string? ChooseResetType(IReadOnlyList<string> preferred) =>
        AllowableResetTypes.Count == 0 ? preferred[0] : preferred.FirstOrDefault(p => AllowableResetTypes.Contains(p, StringComparer.Ordinal));

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(v => v.Text()).OfType<string>()] : [];
}
