using System.Net;
using System.Net.Sockets;
using Anvil.Rack.Metrics;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// One UDP socket to one BMC. A request is sent, then datagrams are read until one is accepted or
/// the attempt's timeout passes; then the request is sent again, up to the configured attempts.
/// Datagrams that do not parse or do not answer this request are dropped and counted.
/// </summary>
internal sealed class IpmiTransport : IDisposable
{
    private readonly UdpClient udp;
    private readonly IpmiDriverOptions options;
    private readonly RackMetrics? metrics;

    public IpmiTransport(IPEndPoint bmc, IpmiDriverOptions options, RackMetrics? metrics)
    {
        Bmc = bmc;
        this.options = options;
        this.metrics = metrics;
        udp = new UdpClient(bmc.AddressFamily);
        udp.Connect(bmc);
    }

    public IPEndPoint Bmc { get; }

    /// <summary>A reader that accepts a datagram as the answer (true) or drops it (false); it must not throw.</summary>
    public delegate bool Accept<T>(ReadOnlySpan<byte> datagram, out T answer);

    /// <summary>Sends what <paramref name="request"/> builds for each attempt, until <paramref name="accept"/> takes an answer.</summary>
    public async Task<T> ExchangeAsync<T>(Func<byte[]> request, Accept<T> accept, string what, CancellationToken ct, int? attempts = null)
    {
        var tries = attempts ?? options.Attempts;
        string? lastError = null;
        for (var attempt = 0; attempt < tries; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await udp.SendAsync(request(), ct);
            }
            catch (SocketException e)
            {
                lastError = e.Message;
                continue;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.RequestTimeout);
            while (true)
            {
                UdpReceiveResult received;
                try
                {
                    received = await udp.ReceiveAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e)
                {
                    // ICMP port unreachable comes back as ECONNREFUSED on a connected socket
                    lastError = e.Message;
                    await WaitOut(timeout.Token, ct);
                    break;
                }

                if (accept(received.Buffer, out var answer))
                    return answer;
                metrics?.Counter("anvil_ipmi_datagrams_dropped_total", "IPMI datagrams from a BMC that were malformed, failed their integrity check or answered nothing asked").Increment();
            }
        }

        var detail = lastError is null ? "" : $" ({lastError})";
        throw new PowerException(PowerErrorKind.Unreachable,
            $"No answer from the BMC at {Bmc} to {what} after {tries} attempt(s) of {options.RequestTimeout.TotalSeconds:0.###} s{detail}.");
    }

    private static async Task WaitOut(CancellationToken attempt, CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, attempt);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => udp.Dispose();
}
