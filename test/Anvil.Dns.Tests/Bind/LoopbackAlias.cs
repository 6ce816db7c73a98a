using System.Net;
using System.Security.Cryptography;
using Anvil.Testing.Network;

namespace Anvil.Dns.Tests.Bind;

/// <summary>
/// A random 127.x.y.z/32 added to lo for one test and removed after it. named listens only on
/// addresses an interface carries, and a forwarder is always asked on port 53, so a test's second
/// named needs an address of its own to have port 53 to itself.
/// </summary>
internal sealed class LoopbackAlias : IAsyncDisposable
{
    private LoopbackAlias(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    public static async Task<LoopbackAlias> AddAsync()
    {
        var address = IPAddress.Parse($"127.{RandomNumberGenerator.GetInt32(100, 255)}.{RandomNumberGenerator.GetInt32(0, 256)}.{RandomNumberGenerator.GetInt32(1, 255)}");
        await HostCommand.RunAsync("ip", "addr", "add", $"{address}/32", "dev", "lo");
        return new LoopbackAlias(address);
    }

    public async ValueTask DisposeAsync() =>
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", "addr", "del", $"{Address}/32", "dev", "lo");
}
