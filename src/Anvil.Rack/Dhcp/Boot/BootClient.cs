using System.Buffers.Binary;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Boot;

/// <summary>What a request says about the client's firmware: its architecture and whether it is iPXE.</summary>
internal readonly record struct BootClient(ushort? Architecture, bool IsIpxe)
{
    /// <summary>
    /// Architecture from option 93 (the first one listed), else from a vendor class of the form
    /// <c>PXEClient:Arch:00007:…</c> / <c>HTTPClient:Arch:00016</c>; iPXE from user class 77
    /// (raw <c>iPXE</c>, or RFC 3004 length-prefixed) or the presence of option 175.
    /// </summary>
    public static BootClient From(DhcpPacket packet)
    {
        var arch = packet.Option(DhcpOptionCode.ClientArchitecture);
        ushort? architecture = arch.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(arch) : ArchitectureFromVendorClass(packet.Option(DhcpOptionCode.VendorClass));
        var userClass = packet.Option(DhcpOptionCode.UserClass);
        var isIpxe = packet.Has(DhcpOptionCode.IpxeEncapsulated) || userClass.SequenceEqual("iPXE"u8)
            || (userClass.Length == 5 && userClass[0] == 4 && userClass[1..].SequenceEqual("iPXE"u8));
        return new BootClient(architecture, isIpxe);
    }

    private static ushort? ArchitectureFromVendorClass(ReadOnlySpan<byte> vendorClass)
    {
        var marker = vendorClass.IndexOf(":Arch:"u8);
        if (marker < 0 || marker + 11 > vendorClass.Length)
            return null;
        var digits = vendorClass.Slice(marker + 6, 5);
        var value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
                return null;
            value = (value * 10) + (digit - '0');
        }

        return value <= ushort.MaxValue ? (ushort)value : null;
    }
}
