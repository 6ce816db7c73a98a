using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Anvil.Dns.Bind;
using Anvil.Dns.Tsig;
using Anvil.Domain.Dns;
using Anvil.Testing.Network;

namespace Anvil.Dns.Tests.Bind;

/// <summary>
/// One test's named: its own directory and free ports, and every named it started stopped (and the
/// directory deleted) on dispose, whether the test passed or not.
/// </summary>
internal sealed class NamedLab : IAsyncDisposable
{
    private readonly List<NamedServer> servers = [];

    public NamedLab(IPAddress? address = null, bool withIpv6 = false, int? port = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "anvil-bindtest-" + TestNames.Suffix());
        port ??= FreePort(address ?? IPAddress.Loopback, withIpv6);
        List<IPEndPoint> listen = [new(address ?? IPAddress.Loopback, port.Value)];
        if (withIpv6)
            listen.Add(new IPEndPoint(IPAddress.IPv6Loopback, port.Value));
        Options = new NamedOptions
        {
            Directory = Directory,
            Listen = listen,
            ControlPort = FreePort(IPAddress.Loopback, false),
            UpdateKey = TsigKey.Generate("anvil-update"),
            RndcKey = TsigKey.Generate("anvil-rndc", TsigAlgorithm.HmacSha256),
        };
    }

    public string Directory { get; }

    public NamedOptions Options { get; set; }

    public int Port => Options.Listen[0].Port;

    public IPAddress Address => Options.Listen[0].Address;

    public string UpdateKeyFile => Path.Combine(Directory, "keys.conf.anvil");

    public static NamedZone Zone(string name, uint serial = 1, int ttl = 30, string? nameServer = null, params IPAddress[] glue) =>
        new(name, nameServer ?? $"ns.{name}", glue.Length > 0 ? glue : [IPAddress.Parse("10.9.8.7")], ttl) { Serial = serial };

    public static NamedZoneSet Zones(params NamedZone[] zones) => new(zones, []);

    public static NamedZoneSet Zones(NamedZone[] zones, params DnsForwardZone[] forwards) => new(zones, forwards);

    public bool Write(NamedZoneSet zones) => NamedConfigWriter.Write(Options, zones);

    public async Task<NamedServer> StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var server = await NamedServer.StartAsync(Options, timeout.Token);
        servers.Add(server);
        return server;
    }

    public Rndc Rndc => new(Options);

    /// <summary>dig's full answer for one question to this named (or to <paramref name="server"/>).</summary>
    public async Task<DigAnswer> DigAsync(string name, string type, IPAddress? server = null, bool recurse = false)
    {
        var result = await HostCommand.TryRunAsync(TimeSpan.FromSeconds(20), "dig", $"@{server ?? Address}", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "+time=2", "+tries=2", recurse ? "+rec" : "+norec", "+nocookie", name, type);
        return DigAnswer.Parse(result.Output);
    }

    /// <summary>Runs nsupdate with the key file against this named; returns its exit code and output.</summary>
    public async Task<CommandResult> NsupdateAsync(string keyFile, params string[] commands)
    {
        var script = Path.Combine(Directory, "nsupdate-" + TestNames.Suffix() + ".txt");
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(script, [$"server {Address} {port}", .. commands, "send"]);
        return await HostCommand.TryRunAsync(TimeSpan.FromSeconds(20), "nsupdate", "-t", "5", "-k", keyFile, script);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
            await server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>A port free for both TCP and UDP on the address (and on ::1 when asked).</summary>
    public static int FreePort(IPAddress address, bool alsoIpv6)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(20000, 32000);
            if (IsFree(address, port) && (!alsoIpv6 || IsFree(IPAddress.IPv6Loopback, port)))
                return port;
            if (attempt > 100)
                throw new InvalidOperationException("No free port found.");
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, port));
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
