using Anvil.Data.Machines;

namespace Anvil.Region.Api.Devices;

/// <summary>A device as rendered: its node view and the addresses on its interfaces.</summary>
internal sealed record DeviceView(MachineView Node, IReadOnlyList<string> IpAddresses);
