namespace Anvil.Rack.Dhcp.Wire;

/// <summary>The option codes the server reads or writes itself (RFC 2132 unless noted).</summary>
internal static class DhcpOptionCode
{
    public const byte Pad = 0;
    public const byte SubnetMask = 1;
    public const byte Router = 3;
    public const byte DomainNameServer = 6;
    public const byte HostName = 12;
    public const byte DomainName = 15;
    public const byte InterfaceMtu = 26;
    public const byte BroadcastAddress = 28;
    public const byte NtpServers = 42;
    public const byte RequestedAddress = 50;
    public const byte LeaseTime = 51;
    public const byte Overload = 52;
    public const byte MessageType = 53;
    public const byte ServerIdentifier = 54;
    public const byte ParameterRequestList = 55;
    public const byte Message = 56;
    public const byte MaxMessageSize = 57;
    public const byte RenewalTime = 58;
    public const byte RebindingTime = 59;
    public const byte VendorClass = 60;
    public const byte ClientIdentifier = 61;
    public const byte BootFileName = 67;
    public const byte UserClass = 77;

    /// <summary>RFC 3046 relay agent information, echoed back unchanged.</summary>
    public const byte RelayAgentInformation = 82;

    /// <summary>RFC 4578 client system architecture.</summary>
    public const byte ClientArchitecture = 93;

    /// <summary>RFC 3397 domain search list.</summary>
    public const byte DomainSearch = 119;

    /// <summary>iPXE's encapsulated option space.</summary>
    public const byte IpxeEncapsulated = 175;

    /// <summary>RFC 5071 PXELINUX path prefix.</summary>
    public const byte PathPrefix = 210;

    public const byte End = 255;
}
