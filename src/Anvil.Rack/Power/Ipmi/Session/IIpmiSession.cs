using Anvil.Rack.Power.Ipmi.Codec;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>An open, authenticated IPMI session (2.0 RMCP+ or 1.5) that carries requests to the BMC; disposing closes it.</summary>
internal interface IIpmiSession : IAsyncDisposable
{
    Task<IpmiResponse> SendAsync(byte netFn, byte command, ReadOnlySpan<byte> data, string what, CancellationToken ct, int? attempts = null);
}
