using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Anvil.Dns.Bind;

/// <summary>
/// Asks an endpoint one question over UDP and reports whether a DNS response came back. Any
/// response will do (named refuses <c>version.bind</c> with <c>version none</c>): it shows the
/// socket is named's and named is answering.
/// </summary>
internal static class NamedProbe
{
    // version.bind CH TXT, no recursion wanted.
    private static readonly byte[] Question =
    [
        7, (byte)'v', (byte)'e', (byte)'r', (byte)'s', (byte)'i', (byte)'o', (byte)'n',
        4, (byte)'b', (byte)'i', (byte)'n', (byte)'d', 0,
        0, 16, 0, 3,
    ];

    public static async Task<bool> AnswersAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Reachable(endpoint);
        var query = new byte[12 + Question.Length];
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        BinaryPrimitives.WriteUInt16BigEndian(query, id);
        BinaryPrimitives.WriteUInt16BigEndian(query.AsSpan(4), 1);
        Question.CopyTo(query, 12);

        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var response = new byte[512];
        try
        {
            await socket.ConnectAsync(target, deadline.Token);
            await socket.SendAsync(query, SocketFlags.None, deadline.Token);
            while (true)
            {
                var length = await socket.ReceiveAsync(response, SocketFlags.None, deadline.Token);
                if (length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(response) == id && (response[2] & 0x80) != 0)
                    return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            // Nothing listening yet (ICMP port unreachable).
            return false;
        }
    }

    /// <summary>A wildcard listen address is probed on loopback.</summary>
    private static IPEndPoint Reachable(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endpoint.Port)
        : endpoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endpoint.Port)
        : endpoint;
}
