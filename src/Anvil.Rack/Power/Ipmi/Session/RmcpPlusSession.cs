using System.Buffers.Binary;
using System.Security.Cryptography;
using Anvil.Rack.Power.Ipmi.Codec;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// An IPMI 2.0 (RMCP+) session with one BMC: Get Channel Authentication Capabilities (outside any
/// session), Open Session, RAKP 1-4, Set Session Privilege Level, then signed and encrypted
/// requests; Close Session when disposed.
/// </summary>
internal sealed class RmcpPlusSession : IIpmiSession
{

    private readonly IpmiTransport transport;
    private readonly uint consoleSessionId;
    private uint bmcSessionId;
    private SessionKeys? keys;
    private uint outboundSequence;
    private byte requestSequence;

    private RmcpPlusSession(IpmiTransport transport, uint consoleSessionId)
    {
        this.transport = transport;
        this.consoleSessionId = consoleSessionId;
    }

    /// <summary>Opens a session; failures are <see cref="PowerException"/>s (the transport is disposed with them).</summary>
    public static async Task<RmcpPlusSession> OpenAsync(IpmiTransport transport, IpmiCredentials credentials, CancellationToken ct)
    {
        var session = new RmcpPlusSession(transport, NonZeroRandom());
        try
        {
            await session.CheckChannelAsync(credentials, ct);
            await session.EstablishAsync(credentials, ct);
            await session.RaisePrivilegeAsync(credentials, ct);
            return session;
        }
        catch
        {
            session.keys?.Dispose();
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request inside the session and returns the BMC's answer (any completion code).</summary>
    public Task<IpmiResponse> SendAsync(byte netFn, byte command, ReadOnlySpan<byte> data, string what, CancellationToken ct, int? attempts = null)
    {
        var sequence = NextRequestSequence();
        var message = new byte[IpmiMessage.RequestLength(data.Length)];
        IpmiMessage.WriteRequest(message, netFn, command, sequence, data);
        var activeKeys = keys ?? throw new InvalidOperationException("The session is not open.");
        return transport.ExchangeAsync(
            () => RmcpPlusPacket.Encode(RmcpPlusPayloadType.IpmiMessage, bmcSessionId, ++outboundSequence, message, activeKeys),
            (ReadOnlySpan<byte> datagram, out IpmiResponse response) =>
            {
                response = default;
                return RmcpPlusPacket.TryDecode(datagram, activeKeys, out var frame)
                    && frame.Type == RmcpPlusPayloadType.IpmiMessage && frame.SessionId == consoleSessionId
                    && IpmiMessage.TryReadResponse(frame.Payload, out response)
                    && response.NetFn == netFn + 1 && response.Command == command && response.RequestSequence == sequence;
            },
            what, ct, attempts);
    }

    private async Task CheckChannelAsync(IpmiCredentials credentials, CancellationToken ct)
    {
        // bit 7 of the channel byte asks for the IPMI 2.0 extended data; 0x0E is "this channel"
        ReadOnlySpan<byte> data = [0x8E, (byte)credentials.Privilege];
        var sequence = NextRequestSequence();
        var message = new byte[IpmiMessage.RequestLength(data.Length)];
        IpmiMessage.WriteRequest(message, AppCommands.NetFnApp, AppCommands.GetChannelAuthCapabilities, sequence, data);
        var packet = Ipmi15Packet.Encode(Ipmi15Packet.AuthTypeNone, 0, 0, [], message);
        var response = await transport.ExchangeAsync(
            () => packet,
            (ReadOnlySpan<byte> datagram, out IpmiResponse answer) =>
            {
                answer = default;
                return Ipmi15Packet.TryDecode(datagram, out var frame) && IpmiMessage.TryReadResponse(frame.Message, out answer)
                    && answer.Command == AppCommands.GetChannelAuthCapabilities && answer.RequestSequence == sequence;
            },
            "Get Channel Authentication Capabilities", ct);
        if (response.CompletionCode != 0 || response.Data.Length < 4)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC at {transport.Bmc} refused Get Channel Authentication Capabilities ({CompletionCodes.Describe(response.CompletionCode)}).");
        var extended = (response.Data[1] & 0x80) != 0;
        var supports20 = extended && (response.Data[3] & 0x02) != 0;
        if (!supports20)
            throw new PowerException(PowerErrorKind.NotSupported, $"The BMC at {transport.Bmc} does not offer IPMI 2.0 (RMCP+) on this channel; try power_driver=LAN.");
    }

    private async Task EstablishAsync(IpmiCredentials credentials, CancellationToken ct)
    {
        var suite = credentials.Suite;
        var bmc = transport.Bmc;
        const byte openTag = 0x01;
        var open = OpenSessionRequest.Write(openTag, (byte)credentials.Privilege, consoleSessionId,
            suite.AuthenticationAlgorithm, suite.IntegrityAlgorithm, suite.ConfidentialityAlgorithm);
        var opened = await transport.ExchangeAsync(
            () => RmcpPlusPacket.Encode(RmcpPlusPayloadType.OpenSessionRequest, 0, 0, open, null),
            (ReadOnlySpan<byte> datagram, out OpenSessionResponse response) =>
            {
                response = default;
                return RmcpPlusPacket.TryDecode(datagram, null, out var frame) && frame.Type == RmcpPlusPayloadType.OpenSessionResponse
                    && OpenSessionResponse.TryRead(frame.Payload, out response) && response.Tag == openTag;
            },
            "Open Session", ct);
        if (opened.Status != 0)
            throw StatusFailure(opened.Status, "Open Session", suite);
        if (opened.ConsoleSessionId != consoleSessionId || opened.BmcSessionId == 0 ||
            opened.Authentication != suite.AuthenticationAlgorithm || opened.Integrity != suite.IntegrityAlgorithm || opened.Confidentiality != suite.ConfidentialityAlgorithm)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC at {bmc} answered Open Session with other algorithms or session IDs than Anvil proposed for cipher suite {suite.Id}.");
        bmcSessionId = opened.BmcSessionId;

        var consoleRandom = RandomNumberGenerator.GetBytes(16);
        // bit 4: look the user up by name only, so the privilege asked for may be below the user's maximum
        var role = (byte)(0x10 | (byte)credentials.Privilege);
        const byte rakpTag = 0x02;
        var rakp1 = Rakp1.Write(rakpTag, bmcSessionId, consoleRandom, role, credentials.UserName);
        var rakp2 = await transport.ExchangeAsync(
            () => RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp1, 0, 0, rakp1, null),
            (ReadOnlySpan<byte> datagram, out Rakp2 message) =>
            {
                message = default;
                return RmcpPlusPacket.TryDecode(datagram, null, out var frame) && frame.Type == RmcpPlusPayloadType.Rakp2
                    && Rakp2.TryRead(frame.Payload, out message) && message.Tag == rakpTag;
            },
            "RAKP 1", ct);
        if (rakp2.Status != 0)
            throw StatusFailure(rakp2.Status, "RAKP 1", suite);
        var userKey = RakpKeys.Key(credentials.Password);
        var expected = RakpKeys.Rakp2AuthCode(suite, userKey, consoleSessionId, bmcSessionId, consoleRandom, rakp2.BmcRandom, rakp2.BmcGuid, role, credentials.UserName);
        if (rakp2.ConsoleSessionId != consoleSessionId || !CryptographicOperations.FixedTimeEquals(expected, rakp2.AuthCode))
            throw new PowerException(PowerErrorKind.AuthenticationFailed,
                $"The BMC at {bmc} did not prove it knows the password of user '{System.Text.Encoding.UTF8.GetString(credentials.UserName)}' (RAKP 2 auth code mismatch): the password is wrong.");

        var sik = RakpKeys.SessionIntegrityKey(suite, RakpKeys.Key(credentials.BmcKey), consoleRandom, rakp2.BmcRandom, role, credentials.UserName);
        var rakp3 = Rakp3.Write(rakpTag, 0, bmcSessionId, RakpKeys.Rakp3AuthCode(suite, userKey, rakp2.BmcRandom, consoleSessionId, role, credentials.UserName));
        var rakp4 = await transport.ExchangeAsync(
            () => RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp3, 0, 0, rakp3, null),
            (ReadOnlySpan<byte> datagram, out Rakp4 message) =>
            {
                message = default;
                return RmcpPlusPacket.TryDecode(datagram, null, out var frame) && frame.Type == RmcpPlusPayloadType.Rakp4
                    && Rakp4.TryRead(frame.Payload, out message) && message.Tag == rakpTag;
            },
            "RAKP 3", ct);
        if (rakp4.Status != 0)
            throw StatusFailure(rakp4.Status, "RAKP 3", suite);
        var check = RakpKeys.Rakp4IntegrityCheck(suite, sik, consoleRandom, bmcSessionId, rakp2.BmcGuid);
        if (!CryptographicOperations.FixedTimeEquals(check, rakp4.IntegrityCheck))
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The BMC at {bmc} computed another session key (RAKP 4 check value mismatch): k_g is wrong.");

        keys = new SessionKeys(suite, RakpKeys.AdditionalKey(suite, sik, 1), RakpKeys.AdditionalKey(suite, sik, 2));
    }

    private async Task RaisePrivilegeAsync(IpmiCredentials credentials, CancellationToken ct)
    {
        // an RMCP+ session starts at User; anything above is asked for explicitly
        if (credentials.Privilege <= IpmiPrivilege.User)
            return;
        var response = await SendAsync(AppCommands.NetFnApp, AppCommands.SetSessionPrivilegeLevel, [(byte)credentials.Privilege], "Set Session Privilege Level", ct);
        if (response.CompletionCode != 0)
            throw new PowerException(PowerErrorKind.AuthenticationFailed,
                $"The BMC at {transport.Bmc} refused privilege level {credentials.Privilege} for this user ({CompletionCodes.Describe(response.CompletionCode)}).");
    }

    private PowerException StatusFailure(byte status, string step, CipherSuite suite)
    {
        var text = $"The BMC at {transport.Bmc} refused {step}: {RmcpPlusStatus.Describe(status)}.";
        if (RmcpPlusStatus.IsCipherSuite(status))
            return new PowerException(PowerErrorKind.NotSupported, $"{text} Cipher suite {suite.Id} is not offered; try cipher_suite_id 3 or 17.");
        if (RmcpPlusStatus.IsAuthentication(status))
            return new PowerException(PowerErrorKind.AuthenticationFailed, text);
        return new PowerException(PowerErrorKind.ProtocolError, text);
    }

    private byte NextRequestSequence() => requestSequence = (byte)((requestSequence + 1) & 0x3F);

    private static uint NonZeroRandom()
    {
        uint value;
        do
            value = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
        while (value == 0);
        return value;
    }

    /// <summary>Closes the session (one try, best effort: the BMC times idle sessions out anyway) and the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (keys is not null)
            {
                var id = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(id, bmcSessionId);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendAsync(AppCommands.NetFnApp, AppCommands.CloseSession, id, "Close Session", deadline.Token, attempts: 1);
            }
        }
        catch (PowerException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            keys?.Dispose();
            transport.Dispose();
        }
    }
}
