using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Lab.LabCommands;

/// <summary>
/// Everything <c>anvil-lab up</c> created, written to <c>lab.json</c> in the state directory
/// before each thing is created, so <c>anvil-lab down</c> can remove all of it after a failure
/// halfway or after its processes died.
/// </summary>
internal sealed class LabState
{
    public const string FileName = "lab.json";

    public required string StateDirectory { get; init; }

    public required string NetNamespace { get; init; }

    public required string HostVeth { get; init; }

    public required string Bridge { get; init; }

    /// <summary>The lab network's first three octets, e.g. <c>10.250.7</c> (a /24).</summary>
    public required string SubnetPrefix { get; init; }

    public string Cidr => $"{SubnetPrefix}.0/24";

    /// <summary>The rack, API and boot servers' address: the bridge's.</summary>
    public string ServerAddress => $"{SubnetPrefix}.1";

    /// <summary>The host's end of the veth into the lab.</summary>
    public string HostAddress => $"{SubnetPrefix}.254";

    public string AnvildDataDirectory => Path.Combine(StateDirectory, "anvild");

    public string AnvildLog => Path.Combine(StateDirectory, "anvild.log");

    public string MaasUrl => $"http://{ServerAddress}:5240/MAAS";

    public int? AnvildPid { get; set; }

    public string? AdminKey { get; set; }

    public string? RackSystemId { get; set; }

    public List<LabMachineState> Machines { get; init; } = [];

    /// <summary>The names a lab in <paramref name="stateDirectory"/> uses: stable, so <c>down</c> finds them with or without a state file.</summary>
    public static LabState ForDirectory(string stateDirectory, string subnetPrefix)
    {
        var full = Path.GetFullPath(stateDirectory);
        var id = Id(full);
        return new LabState
        {
            StateDirectory = full,
            NetNamespace = $"anvil-lab-{id}",
            HostVeth = $"avlab{id}",
            Bridge = "labbr0",
            SubnetPrefix = subnetPrefix,
        };
    }

    /// <summary>Six hex digits from the state directory's full path.</summary>
    public static string Id(string fullPath) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fullPath)))[..6];

    public static string PathIn(string stateDirectory) => Path.Combine(Path.GetFullPath(stateDirectory), FileName);

    public static LabState? Load(string stateDirectory)
    {
        var path = PathIn(stateDirectory);
        return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LabStateJson.Default.LabState) : null;
    }

    /// <summary>Writes the state atomically (a crash leaves the old or the new file, never half of one).</summary>
    public void Save()
    {
        Directory.CreateDirectory(StateDirectory);
        var path = PathIn(StateDirectory);
        File.WriteAllText(path + ".new", JsonSerializer.Serialize(this, LabStateJson.Default.LabState));
        File.Move(path + ".new", path, overwrite: true);
    }
}

/// <summary>One machine of the lab: its VM, disk and BMC, and its system_id once registered.</summary>
internal sealed class LabMachineState
{
    public required string Name { get; init; }

    public required string Mac { get; init; }

    public required string Tap { get; init; }

    public required bool Uefi { get; init; }

    public required string WorkDirectory { get; init; }

    public required string DiskPath { get; init; }

    public required string DiskSerial { get; init; }

    /// <summary>The BMC's own address on the lab bridge.</summary>
    public required string BmcIp { get; init; }

    public string? BmcAddress { get; set; }

    public string? BmcUser { get; set; }

    public string? BmcPassword { get; set; }

    public int? BmcPid { get; set; }

    public string? VmName { get; set; }

    public string? SystemId { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(LabState))]
internal sealed partial class LabStateJson : JsonSerializerContext;
