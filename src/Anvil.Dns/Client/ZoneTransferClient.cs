using System.Net;
using System.Security.Cryptography;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>Reads a whole zone back with a TSIG-signed AXFR over TCP (RFC 5936), verifying every signed message.</summary>
public sealed class ZoneTransferClient
{
    private readonly IPEndPoint server;
    private readonly TsigKey key;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    /// <param name="server">A server that serves the zone.</param>
    /// <param name="key">The key the zone's <c>allow-transfer</c> admits.</param>
    /// <param name="timeout">Limit for connecting and for each message of the transfer.</param>
    public ZoneTransferClient(IPEndPoint server, TsigKey key, TimeSpan timeout)
        : this(server, key, timeout, TimeProvider.System)
    {
    }

    /// <param name="server">A server that serves the zone.</param>
    /// <param name="key">The key the zone's <c>allow-transfer</c> admits.</param>
    /// <param name="timeout">Limit for connecting and for each message of the transfer.</param>
    /// <param name="time">The clock TSIG's time signed comes from.</param>
    public ZoneTransferClient(IPEndPoint server, TsigKey key, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        this.server = server;
        this.key = key;
        this.timeout = timeout;
        this.time = time;
    }

    /// <summary>Transfers the zone; the result starts with its SOA and holds every record once (the closing SOA is dropped).</summary>
    /// <exception cref="ZoneTransferException">The server refused, did not answer in time, could not be reached, or a message did not verify.</exception>
    public async Task<IReadOnlyList<DnsRecord>> TransferAsync(string zone, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        zone = zone.TrimEnd('.').ToLowerInvariant();
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var session = new TsigSession(key, time);
        var request = session.Sign(BuildQuery(zone, id));

        await using var connection = await ConnectAsync(zone, ct);
        await Step(async c =>
        {
            await connection.SendAsync(request, c);
            return 0;
        });

        var records = new List<DnsRecord>();
        var messageCount = 0;
        while (true)
        {
            var raw = await Step(connection.ReceiveAsync);
            messageCount++;
            if (!DnsMessageParser.TryParse(raw, out var message, out var parseError))
                throw Failure($"message {messageCount} of the transfer is malformed: {parseError}", DnsFailure.InvalidResponse);
            if (message!.Id != id || !message.IsResponse)
                throw Failure($"message {messageCount} does not belong to the transfer (ID {message.Id}, expected {id})", DnsFailure.InvalidResponse);

            var check = session.Verify(raw, message);
            var serverError = check.ServerError ?? (message.Tsig is { Error: not TsigError.NoError } t ? t.Error : null);
            if (serverError is { } tsigError)
                throw Failure(DnsErrorText.Tsig(tsigError, key), DnsFailure.Signature, message.Rcode, tsigError, refused: true);
            if (message.Rcode != DnsRcode.NoError)
                throw Failure(DnsErrorText.Rcode(message.Rcode, zone), DnsFailure.Rejected, message.Rcode, refused: true);
            if (check.Problem is not null)
                throw Failure($"message {messageCount} cannot be trusted: {check.Problem}", DnsFailure.Signature);

            foreach (var answer in message.Answers)
            {
                if (answer.Class != (ushort)DnsClass.IN)
                    continue;
                var record = answer.ToRecord();
                if (records.Count == 0)
                {
                    if (record.Type != DnsType.SOA || record.Name != zone)
                        throw Failure($"the transfer does not start with the SOA of {zone} but with {record}", DnsFailure.InvalidResponse);
                    records.Add(record);
                    continue;
                }

                if (record.Type == DnsType.SOA && record.Name == zone)
                {
                    // The closing SOA ends the transfer (RFC 5936 §2.2); its message must be the last and signed.
                    if (!session.LastResponseSigned)
                        throw Failure("the last message of the transfer is not TSIG-signed", DnsFailure.Signature);
                    return records;
                }

                records.Add(record);
            }

            if (records.Count == 0)
                throw Failure("the first message of the transfer holds no SOA", DnsFailure.InvalidResponse);
        }

        async Task<T> Step<T>(Func<CancellationToken, Task<T>> step)
        {
            try
            {
                return await DnsExchange.WithTimeoutAsync(step, timeout, ct);
            }
            catch (TimeoutException e)
            {
                throw Failure($"no answer within {DnsErrorText.Seconds(timeout)}", DnsFailure.Timeout, inner: e);
            }
            catch (Exception e) when (DnsExchange.IsTransportFailure(e))
            {
                throw Failure(DnsExchange.Describe(e), DnsFailure.Connection, inner: e);
            }
        }

        ZoneTransferException Failure(string reason, DnsFailure failure, DnsRcode rcode = DnsRcode.NoError, TsigError? tsigError = null, bool refused = false, Exception? inner = null) =>
            new(refused
                    ? $"BIND at {server} refused the transfer of zone {zone}: {reason}."
                    : $"The transfer of zone {zone} from BIND at {server} failed: {reason}.",
                server, zone, failure, rcode, tsigError, inner);
    }

    private async Task<DnsTcpConnection> ConnectAsync(string zone, CancellationToken ct)
    {
        try
        {
            return await DnsExchange.WithTimeoutAsync(c => DnsTcpConnection.ConnectAsync(server, c), timeout, ct);
        }
        catch (TimeoutException e)
        {
            throw new ZoneTransferException($"Could not connect to BIND at {server} to transfer zone {zone}: no answer within {DnsErrorText.Seconds(timeout)}.", server, zone, DnsFailure.Timeout, inner: e);
        }
        catch (Exception e) when (DnsExchange.IsTransportFailure(e))
        {
            throw new ZoneTransferException($"Could not connect to BIND at {server} to transfer zone {zone}: {DnsExchange.Describe(e)}.", server, zone, DnsFailure.Connection, inner: e);
        }
    }

    private static byte[] BuildQuery(string zone, ushort id)
    {
        var writer = new DnsWireWriter(64);
        writer.WriteUInt16(id);
        writer.WriteUInt16(0);
        writer.WriteUInt16(1);
        writer.WriteUInt16(0);
        writer.WriteUInt16(0);
        writer.WriteUInt16(0);
        writer.WriteName(DnsNames.ToWire(zone), compress: false);
        writer.WriteUInt16((ushort)DnsType.AXFR);
        writer.WriteUInt16((ushort)DnsClass.IN);
        return writer.ToArray();
    }
}
