namespace Anvil.Data.Interfaces;

/// <summary>The stored, editable state of one interface; <see cref="InterfaceStore.SaveAsync"/> writes it back whole.</summary>
public sealed class InterfaceRecord
{
    public long Id { get; set; }
    public long NodeId { get; set; }
    public string Name { get; set; } = "";
    public string Type { get; set; } = "physical";
    public string? MacAddress { get; set; }
    public bool Enabled { get; set; } = true;
    public string[] Tags { get; set; } = [];
    /// <summary>Bond and bridge parameters as a JSON object.</summary>
    public string Params { get; set; } = "{}";
    public int? Mtu { get; set; }
    public long? VlanId { get; set; }
    public bool? AcceptRa { get; set; }
    public bool LinkConnected { get; set; } = true;
    public int InterfaceSpeed { get; set; }
    public int LinkSpeed { get; set; }
    public long? DefaultGatewayV4IpId { get; set; }
    public long? DefaultGatewayV6IpId { get; set; }
}

/// <summary>A link of an interface: a <c>staticipaddress</c> row (its address null until assigned).</summary>
public sealed record InterfaceLinkRecord(long Id, long InterfaceId, int AllocType, string? Ip, long? SubnetId, string? SubnetCidr, string? GatewayIp);
