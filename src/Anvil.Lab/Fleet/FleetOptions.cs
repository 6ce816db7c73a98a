using System.Globalization;
using System.Net;

namespace Anvil.Lab.Fleet;

/// <summary>Where the fleet stops: after enlistment, after commissioning (Ready), or once deployed.</summary>
internal enum FleetGoal
{
    Enlist,
    Commission,
    Deploy,
}

/// <summary>The <c>anvil-lab fleet</c> command line.</summary>
internal sealed record FleetOptions(
    Uri Region,
    string ApiKey,
    int Machines,
    string Interface,
    IPAddress? BmcAddress,
    int BmcPortBase,
    FleetGoal Goal,
    TimeSpan PhaseTimeout,
    string? JsonPath,
    int? RegionPid,
    string? DistroSeries,
    MachineSettings Machine)
{
    public const string Usage =
        "usage: anvil-lab fleet --region URL --api-key KEY --machines N --interface IF [--bmc-address IP] [--bmc-port-base 16230]\n" +
        "                       [--until enlist|commission|deploy] [--timeout SECONDS] [--json FILE] [--region-pid PID]\n" +
        "                       [--firmware-seconds 12] [--script-seconds 0] [--distro-series SERIES] [--no-lease-addresses true] [--fetch-image false]";

    public static FleetOptions Parse(IReadOnlyList<string> args)
    {
        var values = CommandLine.Parse(args);
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Seconds(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        bool Flag(string name, bool fallback) => values.TryGetValue(name, out var v) ? bool.Parse(v) : fallback;
        var machines = Int("--machines", 0);
        if (machines is < 1 or > 1 << 15)
            throw new ArgumentException("--machines must be between 1 and 32768.");
        var goal = (values.GetValueOrDefault("--until") ?? "deploy") switch
        {
            "enlist" => FleetGoal.Enlist,
            "commission" => FleetGoal.Commission,
            "deploy" => FleetGoal.Deploy,
            var other => throw new ArgumentException($"--until '{other}' is not enlist, commission or deploy."),
        };
        return new FleetOptions(
            new Uri(CommandLine.Required(values, "--region")),
            CommandLine.Required(values, "--api-key"),
            machines,
            CommandLine.Required(values, "--interface"),
            values.TryGetValue("--bmc-address", out var bmc) ? IPAddress.Parse(bmc) : null,
            Int("--bmc-port-base", 16230),
            goal,
            TimeSpan.FromSeconds(Seconds("--timeout", 1800)),
            values.GetValueOrDefault("--json"),
            values.TryGetValue("--region-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            values.GetValueOrDefault("--distro-series"),
            new MachineSettings
            {
                FirmwareTime = TimeSpan.FromSeconds(Seconds("--firmware-seconds", 12)),
                ScriptTime = TimeSpan.FromSeconds(Seconds("--script-seconds", 0)),
                BindLeases = !Flag("--no-lease-addresses", false),
                FetchImage = Flag("--fetch-image", true),
            });
    }
}
