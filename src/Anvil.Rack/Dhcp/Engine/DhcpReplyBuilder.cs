using System.Buffers.Binary;
using Anvil.Rack.Dhcp.Boot;
using Anvil.Rack.Dhcp.Wire;

namespace Anvil.Rack.Dhcp.Engine;

/// <summary>
/// Writes the reply for an engine decision. Order: message type, server identifier, lease times,
/// then the options the client asked for in its parameter request list (in its order), then the
/// ones every client gets (subnet mask, router, DNS, domain, boot options), then option 82 echoed.
/// A client without a parameter request list gets every option the subnet has. Options that do
/// not fit the client's size limit are left out, the essential ones having been written first.
/// </summary>
internal static class DhcpReplyBuilder
{
    private static ReadOnlySpan<byte> Essential =>
    [
        DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer, DhcpOptionCode.DomainName,
        DhcpOptionCode.VendorClass, DhcpOptionCode.BootFileName, DhcpOptionCode.PathPrefix, DhcpOptionCode.IpxeEncapsulated,
    ];

    /// <summary>iPXE's encapsulated options: sub-option 176 (no_pxedhcp) = 1, so it skips the ProxyDHCP wait.</summary>
    private static ReadOnlySpan<byte> IpxeNoProxyDhcp => [176, 1, 1];

    public static int Write(DhcpPacket request, in DhcpAnswer answer, Span<byte> buffer)
    {
        var subnet = answer.Subnet!;
        var writer = new DhcpReplyWriter(buffer, MaxMessageSize(request));
        if (answer.Type == DhcpMessageType.Nak)
        {
            writer.WriteHeader(request, 0, 0, 0, default);
            if (request.RelayAddress != 0)
                writer.SetBroadcastFlag();
            writer.TryWriteOption(DhcpOptionCode.MessageType, (byte)DhcpMessageType.Nak);
            writer.TryWriteOption(DhcpOptionCode.ServerIdentifier, subnet.ServerAddress);
            EchoRelayInformation(request, ref writer);
            return writer.Finish();
        }

        var method = BootFileSelector.Select(BootClient.From(request), subnet.Config.DisabledBootArchitectures);
        var boot = method is null ? null : subnet.Boot(method);
        writer.WriteHeader(request, answer.ClientAddress, answer.YourAddress, subnet.ServerAddress, boot is null ? default : boot.File);
        writer.TryWriteOption(DhcpOptionCode.MessageType, (byte)answer.Type);
        writer.TryWriteOption(DhcpOptionCode.ServerIdentifier, subnet.ServerAddress);
        Span<ulong> written = stackalloc ulong[4];
        Mark(written, DhcpOptionCode.MessageType);
        Mark(written, DhcpOptionCode.ServerIdentifier);
        Mark(written, DhcpOptionCode.RelayAgentInformation);
        Mark(written, DhcpOptionCode.Overload);
        Mark(written, DhcpOptionCode.MaxMessageSize);
        Mark(written, DhcpOptionCode.ParameterRequestList);
        if (answer.LeaseSeconds > 0)
        {
            var lease = (uint)answer.LeaseSeconds;
            writer.TryWriteOption(DhcpOptionCode.LeaseTime, lease);
            writer.TryWriteOption(DhcpOptionCode.RenewalTime, lease / 2);
            writer.TryWriteOption(DhcpOptionCode.RebindingTime, (uint)(lease * 7UL / 8));
        }

        Mark(written, DhcpOptionCode.LeaseTime);
        Mark(written, DhcpOptionCode.RenewalTime);
        Mark(written, DhcpOptionCode.RebindingTime);

        var requested = request.Option(DhcpOptionCode.ParameterRequestList);
        if (requested.IsEmpty)
        {
            for (var code = 1; code < 255; code++)
                WriteOnce((byte)code, subnet, answer.Host, boot, written, ref writer);
        }
        else
        {
            foreach (var code in requested)
                WriteOnce(code, subnet, answer.Host, boot, written, ref writer);
            foreach (var code in Essential)
                WriteOnce(code, subnet, answer.Host, boot, written, ref writer);
        }

        EchoRelayInformation(request, ref writer);
        return writer.Finish();
    }

    /// <summary>Option 57 less the IP and UDP headers, never below the 576-byte minimum every client takes.</summary>
    private static int MaxMessageSize(DhcpPacket request)
    {
        var option = request.Option(DhcpOptionCode.MaxMessageSize);
        var size = option.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(option) - 28 : 0;
        return Math.Max(size, DhcpReplyWriter.MinimumMessageSize);
    }

    private static void WriteOnce(byte code, ServedSubnet subnet, ServedHost? host, BootAnswer? boot, scoped Span<ulong> written, ref DhcpReplyWriter writer)
    {
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End || IsMarked(written, code))
            return;
        Mark(written, code);
        var value = Value(code, subnet, host, boot);
        if (!value.IsEmpty)
            writer.TryWriteOption(code, value);
    }

    /// <summary>Host snippets, then subnet and global snippets with the generated options, then the boot answer.</summary>
    private static ReadOnlySpan<byte> Value(byte code, ServedSubnet subnet, ServedHost? host, BootAnswer? boot)
    {
        if (host?.Options[code] is { } fromHost)
            return fromHost;
        if (subnet.Options[code] is { } fromSubnet)
            return fromSubnet;
        if (boot is null)
            return default;
        return code switch
        {
            DhcpOptionCode.VendorClass when boot.Method.HttpBoot => "HTTPClient"u8,
            DhcpOptionCode.BootFileName when boot.Method.HttpBoot => boot.File,
            DhcpOptionCode.PathPrefix => boot.PathPrefix,
            DhcpOptionCode.IpxeEncapsulated when boot.Method.Ipxe => IpxeNoProxyDhcp,
            _ => default,
        };
    }

    private static void EchoRelayInformation(DhcpPacket request, ref DhcpReplyWriter writer)
    {
        if (request.Has(DhcpOptionCode.RelayAgentInformation))
            writer.TryWriteOption(DhcpOptionCode.RelayAgentInformation, request.Option(DhcpOptionCode.RelayAgentInformation));
    }

    private static void Mark(Span<ulong> set, byte code) => set[code >> 6] |= 1UL << (code & 63);

    private static bool IsMarked(Span<ulong> set, byte code) => (set[code >> 6] & (1UL << (code & 63))) != 0;
}
