using System.Net;
using System.Net.Sockets;
using Anvil.Domain.Power;
using Anvil.Rack.Metrics;
using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Commands;
using Anvil.Rack.Power.Ipmi.Session;

namespace Anvil.Rack.Power.Ipmi;

/// <summary>
/// Drives a BMC over IPMI 2.0 on LAN (RMCP+, cipher suites 3 and 17), or IPMI 1.5 when
/// power_driver=LAN asks for it, speaking the protocol itself. Each action opens a session, does its work and closes the session.
/// </summary>
public sealed class IpmiPowerDriver : IPowerDriver
{
    private readonly IpmiDriverOptions options;
    private readonly RackMetrics? metrics;

    public IpmiPowerDriver(IpmiDriverOptions? options = null, RackMetrics? metrics = null)
    {
        this.options = options ?? new IpmiDriverOptions();
        this.options.Validate();
        this.metrics = metrics;
    }

    public PowerDriverDescription Description => PowerDrivers.Ipmi;

    public async Task<PowerState> QueryAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var session = await OpenAsync(parameters, ct);
        return await IsOnAsync(session, ct) ? PowerState.On : PowerState.Off;
    }

    public async Task PowerOnAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var session = await OpenAsync(parameters, ct);
        if (await IsOnAsync(session, ct))
            return;
        await ControlAsync(session, ChassisControlAction.PowerUp, ct);
    }

    public async Task PowerOffAsync(PowerParameters parameters, CancellationToken ct)
    {
        var soft = parameters.Get("power_off_mode") == "soft";
        await using var session = await OpenAsync(parameters, ct);
        if (!await IsOnAsync(session, ct))
            return;
        await ControlAsync(session, soft ? ChassisControlAction.SoftShutdown : ChassisControlAction.PowerDown, ct);
    }

    /// <summary>Power cycles a running machine; one that is off is simply powered up (BMCs may refuse to cycle an off chassis).</summary>
    public async Task PowerCycleAsync(PowerParameters parameters, CancellationToken ct)
    {
        await using var session = await OpenAsync(parameters, ct);
        var on = await IsOnAsync(session, ct);
        await ControlAsync(session, on ? ChassisControlAction.PowerCycle : ChassisControlAction.PowerUp, ct);
    }

    public async Task SetNextBootPxeAsync(PowerParameters parameters, CancellationToken ct)
    {
        var efi = parameters.Get("power_boot_type") == "efi";
        await using var session = await OpenAsync(parameters, ct);
        var response = await session.SendAsync(ChassisCommands.NetFnChassis, ChassisCommands.SetSystemBootOptions, ChassisCommands.PxeNextBootFlags(efi), "Set System Boot Options", ct);
        if (response.CompletionCode is CompletionCodes.InvalidCommand or CompletionCodes.InvalidDataField or CompletionCodes.ParameterNotSupported)
            throw new PowerException(PowerErrorKind.NotSupported, $"The BMC cannot set the next boot to PXE ({CompletionCodes.Describe(response.CompletionCode)}).");
        if (response.CompletionCode != CompletionCodes.Ok)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC refused Set System Boot Options ({CompletionCodes.Describe(response.CompletionCode)}).");
    }

    private async Task<IIpmiSession> OpenAsync(PowerParameters parameters, CancellationToken ct)
    {
        var driver = parameters.Get("power_driver");
        if (driver is not ("LAN" or "LAN_2_0"))
            throw new PowerException(PowerErrorKind.InvalidParameters, $"power_driver '{driver}' is not LAN or LAN_2_0.");
        var credentials = IpmiCredentials.From(parameters);
        var endpoint = await ResolveAsync(parameters.Require("power_address"), ct);
        var transport = new IpmiTransport(endpoint, options, metrics);
        return driver == "LAN"
            ? await Ipmi15Session.OpenAsync(transport, credentials, ct)
            : await RmcpPlusSession.OpenAsync(transport, credentials, ct);
    }

    private static async Task<bool> IsOnAsync(IIpmiSession session, CancellationToken ct)
    {
        var response = await session.SendAsync(ChassisCommands.NetFnChassis, ChassisCommands.GetChassisStatus, [], "Get Chassis Status", ct);
        if (!ChassisCommands.TryReadPowerOn(response, out var on))
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC answered Get Chassis Status with {CompletionCodes.Describe(response.CompletionCode)} and {response.Data.Length} data bytes.");
        return on;
    }

    private static async Task ControlAsync(IIpmiSession session, ChassisControlAction action, CancellationToken ct)
    {
        var response = await session.SendAsync(ChassisCommands.NetFnChassis, ChassisCommands.ChassisControl, [(byte)action], $"Chassis Control {action}", ct);
        if (response.CompletionCode == CompletionCodes.Ok)
            return;
        var kind = response.CompletionCode switch
        {
            0xD4 => PowerErrorKind.AuthenticationFailed,
            CompletionCodes.InvalidCommand or CompletionCodes.InvalidDataField => PowerErrorKind.NotSupported,
            _ => PowerErrorKind.ProtocolError,
        };
        throw new PowerException(kind, $"The BMC refused Chassis Control {action} ({CompletionCodes.Describe(response.CompletionCode)}).");
    }

    /// <summary><c>power_address</c> is an IP address or host name, optionally with <c>:port</c> (<c>[v6]:port</c> for IPv6).</summary>
    internal async Task<IPEndPoint> ResolveAsync(string address, CancellationToken ct)
    {
        if (IPAddress.TryParse(address, out var ip))
            return new IPEndPoint(ip, options.DefaultPort);
        if (IPEndPoint.TryParse(address, out var endpoint))
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, options.DefaultPort) : endpoint;
        var host = address;
        var port = options.DefaultPort;
        var colon = address.LastIndexOf(':');
        if (colon > 0 && int.TryParse(address.AsSpan(colon + 1), out var parsed) && parsed is > 0 and <= 65535)
        {
            host = address[..colon];
            port = parsed;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, ct);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new PowerException(PowerErrorKind.Unreachable, $"power_address '{address}' resolves to no address.");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new PowerException(PowerErrorKind.Unreachable, $"power_address '{address}' cannot be resolved: {e.Message}", e);
        }
    }
}
