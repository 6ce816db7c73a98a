using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Anvil.Dns.Tsig;
using Anvil.Dns.Wire;

namespace Anvil.Dns.Client;

/// <summary>Sends RFC 2136 dynamic updates, TSIG-signed, over TCP to a zone's primary server.</summary>
public sealed class DnsUpdateClient
{
    private const int MaxMessageLength = ushort.MaxValue;

    private readonly IPEndPoint server;
    private readonly TsigKey key;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    /// <param name="server">The zone's primary.</param>
    /// <param name="key">The key the zone's <c>allow-update</c> admits.</param>
    /// <param name="timeout">Limit for connecting and for each message's answer.</param>
    public DnsUpdateClient(IPEndPoint server, TsigKey key, TimeSpan timeout)
        : this(server, key, timeout, TimeProvider.System)
    {
    }

    /// <param name="server">The zone's primary.</param>
    /// <param name="key">The key the zone's <c>allow-update</c> admits.</param>
    /// <param name="timeout">Limit for connecting and for each message's answer.</param>
    /// <param name="time">The clock TSIG's time signed comes from.</param>
    public DnsUpdateClient(IPEndPoint server, TsigKey key, TimeSpan timeout, TimeProvider time)
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

    /// <summary>
    /// Sends the changes, in order, as UPDATE messages over one TCP connection, each TSIG-signed and
    /// holding as many records as fit in 65,535 bytes. BIND applies each message atomically, and the
    /// messages one after the other: when one fails, the ones before it stay applied
    /// (<see cref="DnsUpdateException.MessagesApplied"/>).
    /// </summary>
    /// <returns>How many UPDATE messages were sent.</returns>
    /// <exception cref="DnsUpdateException">The server refused a message, did not answer in time, could not be reached, or its answer did not verify.</exception>
    /// <exception cref="ArgumentException">A record cannot be encoded or is too large for one message.</exception>
    public async Task<int> UpdateAsync(string zone, IReadOnlyList<DnsUpdate> changes, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        ArgumentNullException.ThrowIfNull(changes);
        zone = zone.TrimEnd('.').ToLowerInvariant();
        if (changes.Count == 0)
            return 0;

        var messages = UpdateMessageBuilder.Build(zone, changes, MaxMessageLength - TsigMac.RecordLength(key));
        await using var connection = await ConnectAsync(zone, ct);
        for (var i = 0; i < messages.Count; i++)
            await SendOneAsync(connection, zone, messages[i], applied: i, messages.Count, ct);
        return messages.Count;
    }

    private async Task<DnsTcpConnection> ConnectAsync(string zone, CancellationToken ct)
    {
        try
        {
            return await DnsExchange.WithTimeoutAsync(c => DnsTcpConnection.ConnectAsync(server, c), timeout, ct);
        }
        catch (TimeoutException e)
        {
            throw new DnsUpdateException($"Could not connect to BIND at {server} to update zone {zone}: no answer within {DnsErrorText.Seconds(timeout)}.", server, zone, DnsFailure.Timeout, inner: e);
        }
        catch (Exception e) when (DnsExchange.IsTransportFailure(e))
        {
            throw new DnsUpdateException($"Could not connect to BIND at {server} to update zone {zone}: {DnsExchange.Describe(e)}.", server, zone, DnsFailure.Connection, inner: e);
        }
    }

    private async Task SendOneAsync(DnsTcpConnection connection, string zone, byte[] message, int applied, int total, CancellationToken ct)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        var session = new TsigSession(key, time);
        var request = session.Sign(message);
        var progress = applied > 0 ? $" ({applied} of {total} UPDATE messages had been applied)" : "";

        byte[] raw;
        try
        {
            raw = await DnsExchange.WithTimeoutAsync(
                async c =>
                {
                    await connection.SendAsync(request, c);
                    return await connection.ReceiveAsync(c);
                },
                timeout,
                ct);
        }
        catch (TimeoutException e)
        {
            throw Failure($"BIND at {server} did not answer the update to zone {zone} within {DnsErrorText.Seconds(timeout)}{progress}.", DnsFailure.Timeout, e);
        }
        catch (Exception e) when (DnsExchange.IsTransportFailure(e))
        {
            throw Failure($"The update to zone {zone} at BIND {server} failed: {DnsExchange.Describe(e)}{progress}.", DnsFailure.Connection, e);
        }

        if (!DnsMessageParser.TryParse(raw, out var response, out var parseError))
            throw Failure($"BIND at {server} answered the update to zone {zone} with a malformed message: {parseError}{progress}.", DnsFailure.InvalidResponse);
        if (response!.Id != id || !response.IsResponse || response.Opcode != DnsOpcode.Update)
            throw Failure($"BIND at {server} answered the update to zone {zone} with a message that does not belong to it (ID {response.Id}, expected {id}){progress}.", DnsFailure.InvalidResponse);

        var check = session.Verify(raw, response);
        var serverError = check.ServerError ?? (response.Tsig is { Error: not TsigError.NoError } t ? t.Error : null);
        if (serverError is { } tsigError)
        {
            throw Failure($"BIND at {server} refused the update to zone {zone}: {DnsErrorText.Tsig(tsigError, key)}{progress}.", DnsFailure.Signature, rcode: response.Rcode, tsigError: tsigError);
        }

        if (response.Rcode != DnsRcode.NoError)
            throw Failure($"BIND at {server} refused the update to zone {zone}: {DnsErrorText.Rcode(response.Rcode, zone)}{progress}.", DnsFailure.Rejected, rcode: response.Rcode);

        if (!check.Verified)
            throw Failure($"BIND at {server} answered the update to zone {zone}, but its answer cannot be trusted: {check.Problem}{progress}.", DnsFailure.Signature);

        DnsUpdateException Failure(string text, DnsFailure failure, Exception? inner = null, DnsRcode rcode = DnsRcode.NoError, TsigError? tsigError = null) =>
            new(text, server, zone, failure, rcode, tsigError, inner) { MessagesApplied = applied };
    }
}
