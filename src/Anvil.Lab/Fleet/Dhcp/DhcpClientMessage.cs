using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Anvil.Lab.Fleet.Dhcp;

/// <summary>How a client presents itself in DHCP: the firmware's PXE/iPXE client or the booted OS's.</summary>
internal sealed record DhcpClientKind(string VendorClass, string? UserClass, bool Pxe)
{
    /// <summary>iPXE in BIOS mode (what the rack answers with the <c>ipxe.cfg</c> URL): arch 0, option 175, user class iPXE.</summary>
    public static DhcpClientKind Ipxe { get; } = new("PXEClient:Arch:00000:UNDI:002001", "iPXE", Pxe: true);

    /// <summary>The ephemeral environment's busybox udhcpc.</summary>
    public static DhcpClientKind Udhcpc { get; } = new("udhcp 1.35.0", null, Pxe: false);

    /// <summary>The installed OS (dhclient without a vendor class would do too).</summary>
    public static DhcpClientKind InstalledOs { get; } = new("anvil-lab installed-os", null, Pxe: false);
}

/// <summary>A server's answer, as far as a simulated client cares.</summary>
internal sealed record DhcpReply(uint TransactionId, byte[] ClientMac, DhcpMessageKind Kind, IPAddress YourAddress, IPAddress? ServerId,
    int PrefixLength, IPAddress? Router, string BootFile, IPAddress NextServer);

internal enum DhcpMessageKind : byte
{
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
}

/// <summary>
/// The client half of DHCPv4 (RFC 2131/2132) for simulated machines: DISCOVER and REQUEST with the
/// machine's own chaddr and the broadcast flag (the machine has no address the server could
/// unicast to, and the simulator shares one socket for all machines), and replies read with
/// explicit bounds; anything malformed is dropped.
/// </summary>
internal static class DhcpClientMessage
{
    private const uint MagicCookie = 0x63825363;
    private const int OptionsOffset = 240;

    public static byte[] Discover(uint xid, ReadOnlySpan<byte> mac, DhcpClientKind kind) => Write(DhcpMessageKind.Discover, xid, mac, kind, null, null);

    public static byte[] Request(uint xid, ReadOnlySpan<byte> mac, DhcpClientKind kind, IPAddress requested, IPAddress serverId) =>
        Write(DhcpMessageKind.Request, xid, mac, kind, requested, serverId);

    private static byte[] Write(DhcpMessageKind type, uint xid, ReadOnlySpan<byte> mac, DhcpClientKind kind, IPAddress? requested, IPAddress? serverId)
    {
        var packet = new byte[548];
        packet[0] = 1; // BOOTREQUEST
        packet[1] = 1; // Ethernet
        packet[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), xid);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0x8000); // broadcast
        mac.CopyTo(packet.AsSpan(28));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(236), MagicCookie);
        var at = OptionsOffset;
        void Option(byte code, ReadOnlySpan<byte> value)
        {
            packet[at++] = code;
            packet[at++] = (byte)value.Length;
            value.CopyTo(packet.AsSpan(at));
            at += value.Length;
        }

        Option(53, [(byte)type]);
        Option(61, [1, .. mac]);
        if (requested is not null)
            Option(50, requested.GetAddressBytes());
        if (serverId is not null)
            Option(54, serverId.GetAddressBytes());
        Option(55, kind.Pxe ? [1, 3, 6, 12, 15, 17, 43, 60, 66, 67, 119, 128, 175, 203] : [1, 3, 6, 12, 15, 28, 42, 119]);
        Option(57, [0x05, 0xC0]); // 1472 bytes
        Option(60, Encoding.ASCII.GetBytes(kind.VendorClass));
        if (kind.Pxe)
        {
            Option(93, [0, 0]); // client architecture: x86 BIOS
            Option(94, [1, 2, 1]); // UNDI 2.1
            Option(97, [0, .. Guid.Empty.ToByteArray()]);
        }

        if (kind.UserClass is { } userClass)
        {
            Option(77, Encoding.ASCII.GetBytes(userClass));
            Option(175, [0xB1, 0x05, 0x01, 0x80, 0x86, 0x10, 0x0E, 0xEB, 0x03, 0x01, 0x00, 0x00, 0x17, 0x01, 0x01, 0x13, 0x01, 0x01]);
        }

        packet[at++] = 255;
        return packet[..Math.Max(at, 300)];
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out DhcpReply reply)
    {
        reply = null!;
        if (data.Length < OptionsOffset + 1 || data[0] != 2 || data[1] != 1 || data[2] != 6)
            return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(data[236..]) != MagicCookie)
            return false;
        DhcpMessageKind? kind = null;
        IPAddress? serverId = null;
        IPAddress? router = null;
        var prefix = 24;
        string? bootFile = null;
        var options = data[OptionsOffset..];
        var at = 0;
        while (at < options.Length)
        {
            var code = options[at++];
            if (code == 0)
                continue;
            if (code == 255)
                break;
            if (at >= options.Length)
                return false;
            int length = options[at++];
            if (options.Length - at < length)
                return false;
            var value = options.Slice(at, length);
            at += length;
            switch (code)
            {
                case 53 when length == 1:
                    kind = (DhcpMessageKind)value[0];
                    break;
                case 54 when length == 4:
                    serverId = new IPAddress(value);
                    break;
                case 3 when length >= 4:
                    router = new IPAddress(value[..4]);
                    break;
                case 1 when length == 4:
                    prefix = System.Numerics.BitOperations.PopCount(BinaryPrimitives.ReadUInt32BigEndian(value));
                    break;
                case 67:
                    bootFile = Encoding.ASCII.GetString(value).TrimEnd('\0');
                    break;
            }
        }

        if (kind is null)
            return false;
        bootFile ??= Encoding.ASCII.GetString(data.Slice(108, 128)).Split('\0')[0];
        reply = new DhcpReply(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data.Slice(28, 6).ToArray(), kind.Value,
            new IPAddress(data.Slice(16, 4)), serverId, prefix, router, bootFile, new IPAddress(data.Slice(20, 4)));
        return true;
    }
}
