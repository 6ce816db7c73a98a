namespace Anvil.Testing.Network;

/// <summary>
/// A veth pair between two namespaces (null = the root namespace), IPv6 off on both ends so no
/// router advertisement or DAD traffic reaches the host's routing. Disposing deletes it.
/// </summary>
public sealed class VethLink : IAsyncDisposable
{
    private VethLink(NetworkNamespace? left, string leftName, NetworkNamespace? right, string rightName)
    {
        Left = left;
        LeftName = leftName;
        Right = right;
        RightName = rightName;
    }

    public NetworkNamespace? Left { get; }

    public string LeftName { get; }

    public NetworkNamespace? Right { get; }

    public string RightName { get; }

    /// <summary>Creates <c>&lt;prefix&gt;&lt;random&gt;a</c> in <paramref name="left"/> and <c>…b</c> in <paramref name="right"/>, both up.</summary>
    public static async Task<VethLink> CreateAsync(NetworkNamespace? left, NetworkNamespace? right, string prefix = "av")
    {
        var stem = prefix + TestNames.Suffix();
        var link = new VethLink(left, stem + "a", right, stem + "b");
        try
        {
            await HostCommand.RunAsync("ip", "link", "add", link.LeftName, "type", "veth", "peer", "name", link.RightName);
            await link.Place(left, link.LeftName);
            await link.Place(right, link.RightName);
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }

        return link;
    }

    public Task AddLeftAddressAsync(string cidr) => Ip(Left, "addr", "add", cidr, "dev", LeftName);

    public Task AddRightAddressAsync(string cidr) => Ip(Right, "addr", "add", cidr, "dev", RightName);

    public async ValueTask DisposeAsync()
    {
        // Deleting either end deletes the pair; one end may already be gone with its namespace.
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", [.. NamespaceArgs(Left), "link", "del", LeftName]);
        await HostCommand.TryRunAsync(HostCommand.DefaultTimeout, "ip", [.. NamespaceArgs(Right), "link", "del", RightName]);
    }

    /// <summary>Runs <c>ip [-n ns] …</c> in the namespace of one end.</summary>
    public static Task<CommandResult> Ip(NetworkNamespace? ns, params string[] arguments) =>
        HostCommand.RunAsync("ip", [.. NamespaceArgs(ns), .. arguments]);

    private async Task Place(NetworkNamespace? ns, string name)
    {
        if (ns is not null)
            await HostCommand.RunAsync("ip", "link", "set", name, "netns", ns.Name);
        var sysctl = $"net.ipv6.conf.{name}.disable_ipv6=1";
        if (ns is null)
            await HostCommand.RunAsync("sysctl", "-qw", sysctl);
        else
            await ns.RunAsync("sysctl", "-qw", sysctl);
        await Ip(ns, "link", "set", name, "up");
    }

    private static string[] NamespaceArgs(NetworkNamespace? ns) => ns is null ? [] : ["-n", ns.Name];
}
