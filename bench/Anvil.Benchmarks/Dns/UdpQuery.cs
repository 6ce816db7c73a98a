using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Anvil.Benchmarks.Dns;

/// <summary>
/// One A query over UDP, as light as possible, to poll "does BIND answer this name yet" every
/// millisecond without the cost of starting dig each time.
/// </summary>
internal sealed class UdpQuery(IPEndPoint server) : IDisposable
{
    private readonly UdpClient udp = new(AddressFamily.InterNetwork);
    private ushort id = (ushort)Random.Shared.Next(ushort.MaxValue);

    /// <summary>True when the server answers NOERROR with at least one A record.</summary>
    public async Task<bool> HasAddressAsync(string name, CancellationToken ct)
    {
        var query = Build(name, ++id);
        await udp.SendAsync(query, server, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (true)
            {
                var reply = await udp.ReceiveAsync(timeout.Token);
                var b = reply.Buffer;
                if (b.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(b) != id)
                    continue; // a late answer to an earlier poll
                var rcode = b[3] & 0x0F;
                return rcode == 0 && BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(6)) > 0;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => udp.Dispose();

    private static byte[] Build(string name, ushort id)
    {
        var labels = name.TrimEnd('.').Split('.');
        var message = new byte[12 + labels.Sum(l => l.Length + 1) + 1 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1);
        var at = 12;
        foreach (var label in labels)
        {
            message[at++] = (byte)label.Length;
            at += Encoding.ASCII.GetBytes(label, message.AsSpan(at));
        }

        message[at++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), 1);
        return message;
    }
}
