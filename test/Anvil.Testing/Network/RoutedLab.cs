namespace Anvil.Testing.Network;

/// <summary>
/// Server, router and client: root namespace —<see cref="Upstream"/>— router namespace
/// —<see cref="Downstream"/>— client namespace, each link with its own /20. The root side gets a
/// route to the client's subnet through the router (removed with the link), the router forwards,
/// and the client's default route points at the router. For relays (a DHCP relay in the router).
/// </summary>
public sealed class RoutedLab : IAsyncDisposable
{
    private RoutedLab(NetworkNamespace router, NetworkNamespace client, VethLink upstream, VethLink downstream, TestSubnet upstreamSubnet, TestSubnet downstreamSubnet)
    {
        Router = router;
        Client = client;
        Upstream = upstream;
        Downstream = downstream;
        UpstreamSubnet = upstreamSubnet;
        DownstreamSubnet = downstreamSubnet;
    }

    public NetworkNamespace Router { get; }

    public NetworkNamespace Client { get; }

    /// <summary>Root (left) to router (right); root .1, router .2.</summary>
    public VethLink Upstream { get; }

    /// <summary>Router (left) to client (right); router .1, the client has no address.</summary>
    public VethLink Downstream { get; }

    public TestSubnet UpstreamSubnet { get; }

    public TestSubnet DownstreamSubnet { get; }

    public string ServerInterface => Upstream.LeftName;

    public string ServerAddress => UpstreamSubnet.Host(1);

    public string RouterUpstreamAddress => UpstreamSubnet.Host(2);

    public string RouterDownstreamAddress => DownstreamSubnet.Host(1);

    public string ClientInterface => Downstream.RightName;

    public static async Task<RoutedLab> CreateAsync()
    {
        var upstreamSubnet = TestNames.NextSubnet();
        var downstreamSubnet = TestNames.NextSubnet();
        var router = await NetworkNamespace.CreateAsync("anvr");
        var client = await NetworkNamespace.CreateAsync("anvc");
        VethLink? upstream = null;
        VethLink? downstream = null;
        try
        {
            upstream = await VethLink.CreateAsync(null, router, "avu");
            downstream = await VethLink.CreateAsync(router, client, "avd");
            await upstream.AddLeftAddressAsync(upstreamSubnet.HostWithPrefix(1));
            await upstream.AddRightAddressAsync(upstreamSubnet.HostWithPrefix(2));
            await downstream.AddLeftAddressAsync(downstreamSubnet.HostWithPrefix(1));
            await router.RunAsync("sysctl", "-qw", "net.ipv4.ip_forward=1");
            await HostCommand.RunAsync("ip", "route", "add", downstreamSubnet.Cidr, "via", upstreamSubnet.Host(2), "dev", upstream.LeftName);
            return new RoutedLab(router, client, upstream, downstream, upstreamSubnet, downstreamSubnet);
        }
        catch
        {
            if (downstream is not null)
                await downstream.DisposeAsync();
            if (upstream is not null)
                await upstream.DisposeAsync();
            await client.DisposeAsync();
            await router.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Router.DisposeAsync();
        await Downstream.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
