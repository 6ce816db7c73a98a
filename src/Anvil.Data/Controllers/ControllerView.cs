using Anvil.Data.Machines;

namespace Anvil.Data.Controllers;

/// <summary>A controller as the API renders it: the shared node view plus what only controllers have.</summary>
public sealed record ControllerView(MachineView Node, string Version, DateTimeOffset? LastSeen, IReadOnlyList<ServiceRecord> Services);

/// <summary>One service a controller reported, with MAAS's SERVICE_STATUS value.</summary>
public sealed record ServiceRecord(string Name, string Status, string StatusInfo);
