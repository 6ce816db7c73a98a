using System.Diagnostics;
using Shouldly;
using Xunit;

namespace Anvil.Domain.Tests.Netplan;

/// <summary>
/// The real peer: Debian's netplan (netplan.io) generates systemd-networkd configuration from each
/// golden file into a scratch root directory. A file netplan rejects fails here, whatever our own
/// reader thinks of it.
/// </summary>
public sealed class NetplanGenerateTests
{
    private const string Netplan = "/usr/sbin/netplan";

    [Theory]
    [InlineData("one-nic-static.yaml", new[] { "10-netplan-eth0.network" })]
    [InlineData("bond-lacp-two-vlans.yaml", new[] { "10-netplan-bond0.netdev", "10-netplan-bond0.100.netdev", "10-netplan-bond0.200.network" })]
    [InlineData("bridge-on-bond.yaml", new[] { "10-netplan-bond0.netdev", "10-netplan-br0.netdev", "10-netplan-br0.network" })]
    [InlineData("static-routes.yaml", new[] { "10-netplan-eth0.network", "10-netplan-eth1.network" })]
    [InlineData("dhcp.yaml", new[] { "10-netplan-eth0.network" })]
    [InlineData("link-up.yaml", new[] { "10-netplan-eth0.network" })]
    public async Task Netplan_generate_accepts_the_golden_file(string golden, string[] expectedFiles)
    {
        File.Exists(Netplan).ShouldBeTrue("netplan is not installed: apt-get install netplan.io (scripts/test.sh does this).");
        var root = Directory.CreateTempSubdirectory("anvil-netplan-").FullName;
        try
        {
            var config = Path.Combine(root, "etc", "netplan", "50-anvil.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(config)!);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Netplan", "Golden", golden), config);
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var info = new ProcessStartInfo(Netplan) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "generate", "--root-dir", root })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            process.ExitCode.ShouldBe(0, await stderr);
            var generated = Path.Combine(root, "run", "systemd", "network");
            foreach (var file in expectedFiles)
                File.Exists(Path.Combine(generated, file)).ShouldBeTrue($"netplan did not generate {file}: {string.Join(", ", Directory.GetFiles(generated).Select(Path.GetFileName))}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
