namespace Anvil.Testing.Network;

/// <summary>
/// The usual server test bench: a veth from the root namespace (where the server under test runs,
/// on <see cref="ServerInterface"/> with <see cref="ServerAddress"/>) to a new namespace for the
/// client (<see cref="ClientInterface"/>, no address unless asked). Its own /20 from <see cref="TestNames"/>.
/// </summary>
public sealed class ClientLab : IAsyncDisposable
{
    private ClientLab(NetworkNamespace client, VethLink link, TestSubnet subnet)
    {
        Client = client;
        Link = link;
        Subnet = subnet;
    }

    public NetworkNamespace Client { get; }

    public VethLink Link { get; }

    public TestSubnet Subnet { get; }

    public string ServerInterface => Link.LeftName;

    public string ClientInterface => Link.RightName;

    /// <summary>The first host address of the subnet, on the root side.</summary>
    public string ServerAddress => Subnet.Host(1);

    /// <param name="clientAddressOffset">When set, the client side gets this host of the subnet (tools such as perfdhcp need one).</param>
    public static async Task<ClientLab> CreateAsync(int? clientAddressOffset = null)
    {
        var subnet = TestNames.NextSubnet();
        var client = await NetworkNamespace.CreateAsync("anvc");
        VethLink? link = null;
        try
        {
            link = await VethLink.CreateAsync(null, client, "avc");
            await link.AddLeftAddressAsync(subnet.HostWithPrefix(1));
            if (clientAddressOffset is { } offset)
                await link.AddRightAddressAsync(subnet.HostWithPrefix(offset));
            return new ClientLab(client, link, subnet);
        }
        catch
        {
            if (link is not null)
                await link.DisposeAsync();
            await client.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Link.DisposeAsync();
    }
}
