using System.Globalization;
using System.Net;
using System.Text;
using Anvil.Dns.Tsig;
using Anvil.Testing;
using Anvil.Testing.Network;

namespace Anvil.Dns.Tests.Support;

/// <summary>
/// A real BIND 9 (<c>named -f</c>) on 127.0.0.1 and a free port, authoritative for dynamic zones
/// that admit updates and transfers signed with <see cref="Key"/>. Disposing it kills named and
/// deletes its directory.
/// </summary>
internal sealed class TestNamed : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly BackgroundProcess process;

    private TestNamed(BackgroundProcess process, string directory, int port, TsigKey key)
    {
        this.process = process;
        Directory = directory;
        Port = port;
        Key = key;
    }

    public string Directory { get; }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public TsigKey Key { get; }

    /// <summary>The <c>-y</c> argument dig and nsupdate take for <see cref="Key"/>.</summary>
    public string KeyArgument => $"{Key.BindAlgorithmName}:{Key.Name}:{Key.SecretBase64}";

    /// <summary>named.log, for failure messages.</summary>
    public string Log => File.Exists(Path.Combine(Directory, "named.log")) ? File.ReadAllText(Path.Combine(Directory, "named.log")) : "";

    /// <summary>
    /// Starts named with each zone holding an SOA (serial 1, minimum 30) and an NS. A port another
    /// process grabbed between choosing and binding it is retried with a new one.
    /// </summary>
    public static async Task<TestNamed> StartAsync(TsigKey key, params string[] zones)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("anvil-named-").FullName;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = LocalPorts.FreeTcp();
                WriteConfiguration(directory, port, key, zones);
                var process = BackgroundProcess.Start("/usr/sbin/named", ["-f", "-c", Path.Combine(directory, "named.conf")]);
                var named = new TestNamed(process, directory, port, key);
                if (await named.WaitUntilServingAsync(zones[0]))
                    return named;
                var output = process.Output + named.Log;
                await process.DisposeAsync();
                if (attempt == 3)
                    throw new InvalidOperationException($"named did not start on port {port}:\n{output}");
            }
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Runs dig against this named over TCP and returns what it printed.</summary>
    public async Task<string> DigAsync(params string[] arguments)
    {
        var result = await HostCommand.TryRunAsync(
            TimeSpan.FromSeconds(60), "dig", ["@127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "+tcp", "+tries=1", "+time=5", .. arguments]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dig {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error} {result.Output}");
        return result.Output;
    }

    /// <summary>The RDATA dig prints for one name and type (<c>+short</c>).</summary>
    public async Task<IReadOnlyList<string>> DigShortAsync(string name, string type) => DigOutput.Short(await DigAsync(name, type, "+short"));

    /// <summary>The zone as dig's own AXFR (with the key) sees it, as canonical record lines, closing SOA dropped.</summary>
    public async Task<IReadOnlyList<string>> DigTransferAsync(string zone)
    {
        var lines = DigOutput.Records(await DigAsync("-y", KeyArgument, zone, "AXFR"));
        return lines.Count > 1 ? lines.Take(lines.Count - 1).ToList() : lines;
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // named may still be closing its journal; the temp dir is cleaned by the OS later.
        }
    }

    private async Task<bool> WaitUntilServingAsync(string zone)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            var probe = await HostCommand.TryRunAsync(
                TimeSpan.FromSeconds(10), "dig", ["@127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "+tries=1", "+time=1", "+short", zone, "SOA"]);
            if (probe.ExitCode == 0 && probe.Output.Trim().Length > 0)
                return true;
            await Task.Delay(50);
        }

        return false;
    }

    private static void WriteConfiguration(string directory, int port, TsigKey key, string[] zones)
    {
        var conf = new StringBuilder();
        conf.Append(CultureInfo.InvariantCulture, $$"""
            key "{{key.Name}}" { algorithm {{key.BindAlgorithmName}}; secret "{{key.SecretBase64}}"; };
            options {
                directory "{{directory}}";
                pid-file "{{directory}}/named.pid";
                session-keyfile "{{directory}}/session.key";
                listen-on port {{port}} { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                notify no;
                allow-query { any; };
                minimal-responses yes;
            };
            controls { };
            logging {
                channel main { file "{{directory}}/named.log"; severity info; print-time yes; };
                category default { main; };
                category update { null; };
                category lame-servers { null; };
            };

            """);
        foreach (var zone in zones)
        {
            File.WriteAllText(Path.Combine(directory, zone + ".zone"), $"""
                $TTL 30
                @ IN SOA ns1.invalid. hostmaster.invalid. 1 3600 600 86400 30
                @ IN NS ns1.invalid.

                """);
            conf.Append(CultureInfo.InvariantCulture, $$"""
                zone "{{zone}}" {
                    type primary;
                    file "{{directory}}/{{zone}}.zone";
                    allow-update { key "{{key.Name}}"; };
                    allow-transfer { key "{{key.Name}}"; };
                };

                """);
        }

        File.WriteAllText(Path.Combine(directory, "named.conf"), conf.ToString());
    }
}
