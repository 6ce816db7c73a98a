namespace Anvil.Testing.Network;

/// <summary>
/// Hook scripts for the real DHCP clients: they put the leased address on the interface (so
/// unicast renewals work) and nothing else, never the host's resolv.conf or routes.
/// </summary>
public sealed class DhcpClientScripts : IDisposable
{
    public DhcpClientScripts()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Dhclient, """
            #!/bin/sh
            case "$reason" in
              BOUND|RENEW|REBIND|REBOOT)
                ip -4 addr flush dev "$interface"
                ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
              RELEASE|EXPIRE|STOP)
                ip -4 addr flush dev "$interface" ;;
            esac
            exit 0

            """);
        File.WriteAllText(Udhcpc, """
            #!/bin/sh
            case "$1" in
              bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/$subnet" dev "$interface" ;;
              deconfig)
                ip -4 addr flush dev "$interface" ;;
            esac
            exit 0

            """);
        File.SetUnixFileMode(Dhclient, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Udhcpc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "anvil-dhcp-" + Guid.NewGuid().ToString("n"));

    public string Dhclient => Path.Combine(Folder, "dhclient-script");

    public string Udhcpc => Path.Combine(Folder, "udhcpc-script");

    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
