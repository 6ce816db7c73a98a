using System.Net;
using System.Net.Sockets;
using Anvil.Domain.Boot;

namespace Anvil.Rack.Boot;

/// <summary>
/// The kernel command line of a network boot (maas-api.md §8.3): <c>nomodeset</c>, the purpose's
/// options, AppArmor, logging, ephemeral options, then <c>--</c> and the extra options meant to be
/// copied into the installed system. The bootloader appends its own <c>BOOTIF</c>.
/// </summary>
internal static class KernelCommandLine
{
    public const int HttpPort = 5248;

    private const string ExtraOptionsSeparator = "--";

    // Ubuntu releases before jammy confine the ephemeral environment's tools badly under AppArmor.
    private static readonly HashSet<string> ReleasesWithoutAppArmor = new(StringComparer.Ordinal)
    {
        "precise", "trusty", "xenial", "bionic", "cosmic", "disco", "eoan", "focal", "groovy", "hirsute", "impish",
    };

    public static string Compose(BootConfig config)
    {
        var options = new List<string> { "nomodeset" };
        AddPurposeOptions(options, config);
        if (config.Osystem == "ubuntu" && ReleasesWithoutAppArmor.Contains(config.Release))
            options.Add("apparmor=0");
        if (config.LogHost.Length > 0)
        {
            options.Add($"log_host={config.LogHost}");
            options.Add($"log_port={config.LogPort}");
        }

        options.AddRange(Words(config.EphemeralOpts));
        var extra = Words(config.ExtraOpts);
        if (extra.Length > 0)
        {
            options.Add(ExtraOptionsSeparator);
            options.AddRange(extra);
        }

        return string.Join(' ', options);
    }

    /// <summary><c>http://&lt;fs_host&gt;:5248/images/&lt;path&gt;</c>, with an IPv6 host in brackets.</summary>
    public static string ImageUrl(BootConfig config, string path) => $"http://{UrlHost(config.FsHost)}:{HttpPort}/images/{path}";

    public static string UrlHost(string host) => IsIPv6(host) ? $"[{host}]" : host;

    private static void AddPurposeOptions(List<string> options, BootConfig config)
    {
        var squashfs = false;
        if (config.Rootfs.Length > 0)
        {
            var tar = config.Rootfs.EndsWith(".tgz", StringComparison.Ordinal) || config.Rootfs.EndsWith(".txz", StringComparison.Ordinal);
            squashfs = !tar;
            options.Add($"root={(tar ? "tar" : "squash")}:{ImageUrl(config, config.Rootfs)}");
        }

        if (IsIPv6(config.FsHost))
        {
            options.Add("ip=off");
            options.Add("ip6=dhcp");
        }
        else
        {
            options.Add($"ip=::::{config.Hostname}:BOOTIF:dhcp");
            options.Add("ip6=off");
        }

        options.Add("cc:{'datasource_list': ['MAAS']}end_cc");
        if (config.PreseedUrl.Length > 0)
            options.Add($"cloud-config-url={config.PreseedUrl}");
        if (squashfs)
        {
            options.Add("ro");
            options.Add("overlayroot=tmpfs");
            options.Add("overlayroot_cfgdisk=disabled");
        }
    }

    // Splitting on any whitespace also keeps a line break in configured options out of the scripts.
    private static string[] Words(string options) => options.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool IsIPv6(string host) => IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
}
