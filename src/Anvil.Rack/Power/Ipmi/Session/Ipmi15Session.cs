using System.Buffers.Binary;
using System.Security.Cryptography;
using Anvil.Rack.Power.Ipmi.Codec;

namespace Anvil.Rack.Power.Ipmi.Session;

/// <summary>
/// An IPMI 1.5 LAN session (power_driver=LAN): Get Channel Authentication Capabilities, Get Session
/// Challenge, Activate Session with MD5 (or, when that is all the BMC offers, straight password)
/// per-message authentication, Set Session Privilege Level; Close Session when disposed. IPMI 1.5
/// does not encrypt: prefer LAN_2_0 wherever the BMC allows it.
/// </summary>
internal sealed class Ipmi15Session : IIpmiSession
{

    private readonly IpmiTransport transport;
    private readonly byte[] password;
    private byte authType = Ipmi15Packet.AuthTypeNone;
    private uint sessionId;
    private uint outboundSequence;
    private byte requestSequence;
    private bool active;

    private Ipmi15Session(IpmiTransport transport, byte[] password)
    {
        this.transport = transport;
        this.password = password;
    }

    public static async Task<Ipmi15Session> OpenAsync(IpmiTransport transport, IpmiCredentials credentials, CancellationToken ct)
    {
        if (credentials.Password.Length > 16)
        {
            transport.Dispose();
            throw new PowerException(PowerErrorKind.InvalidParameters, "power_pass is longer than IPMI 1.5's 16 bytes.");
        }

        var session = new Ipmi15Session(transport, Pad16(credentials.Password));
        try
        {
            await session.ActivateAsync(credentials, ct);
            return session;
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    public Task<IpmiResponse> SendAsync(byte netFn, byte command, ReadOnlySpan<byte> data, string what, CancellationToken ct, int? attempts = null)
    {
        var sequence = NextRequestSequence();
        var message = new byte[IpmiMessage.RequestLength(data.Length)];
        IpmiMessage.WriteRequest(message, netFn, command, sequence, data);
        return transport.ExchangeAsync(
            () =>
            {
                var packetSequence = active ? ++outboundSequence : 0;
                return Ipmi15Packet.Encode(authType, packetSequence, sessionId, AuthCode(authType, sessionId, message, packetSequence), message);
            },
            (ReadOnlySpan<byte> datagram, out IpmiResponse response) =>
            {
                response = default;
                return Ipmi15Packet.TryDecode(datagram, out var frame) && Authentic(frame)
                    && IpmiMessage.TryReadResponse(frame.Message, out response)
                    && response.NetFn == netFn + 1 && response.Command == command && response.RequestSequence == sequence;
            },
            what, ct, attempts);
    }

    private async Task ActivateAsync(IpmiCredentials credentials, CancellationToken ct)
    {
        var bmc = transport.Bmc;
        var capabilities = await SendAsync(AppCommands.NetFnApp, AppCommands.GetChannelAuthCapabilities, [0x0E, (byte)credentials.Privilege], "Get Channel Authentication Capabilities", ct);
        if (capabilities.CompletionCode != 0 || capabilities.Data.Length < 2)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC at {bmc} refused Get Channel Authentication Capabilities ({CompletionCodes.Describe(capabilities.CompletionCode)}).");
        var chosen = (capabilities.Data[1] & 0x04) != 0 ? Ipmi15Packet.AuthTypeMd5
            : (capabilities.Data[1] & 0x10) != 0 ? Ipmi15Packet.AuthTypeStraightPassword
            : throw new PowerException(PowerErrorKind.NotSupported, $"The BMC at {bmc} offers neither MD5 nor password authentication for IPMI 1.5; use LAN_2_0.");

        var challengeRequest = new byte[17];
        challengeRequest[0] = chosen;
        credentials.UserName.CopyTo(challengeRequest, 1);
        var challenge = await SendAsync(AppCommands.NetFnApp, AppCommands.GetSessionChallenge, challengeRequest, "Get Session Challenge", ct);
        if (challenge.CompletionCode is 0x81 or 0x82)
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The BMC at {bmc} does not know user '{System.Text.Encoding.UTF8.GetString(credentials.UserName)}' ({CompletionCodes.Describe(challenge.CompletionCode)}).");
        if (challenge.CompletionCode != 0 || challenge.Data.Length < 20)
            throw new PowerException(PowerErrorKind.ProtocolError, $"The BMC at {bmc} refused Get Session Challenge ({CompletionCodes.Describe(challenge.CompletionCode)}).");

        authType = chosen;
        sessionId = BinaryPrimitives.ReadUInt32LittleEndian(challenge.Data);
        var activate = new byte[22];
        activate[0] = chosen;
        activate[1] = (byte)credentials.Privilege;
        challenge.Data.AsSpan(4, 16).CopyTo(activate.AsSpan(2));
        BinaryPrimitives.WriteUInt32LittleEndian(activate.AsSpan(18), RandomNonZero());
        IpmiResponse activated;
        try
        {
            activated = await SendAsync(AppCommands.NetFnApp, AppCommands.ActivateSession, activate, "Activate Session", ct);
        }
        catch (PowerException e) when (e.Kind == PowerErrorKind.Unreachable)
        {
            // a BMC that cannot verify the auth code drops the request instead of answering it
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The BMC at {bmc} did not answer Activate Session: the password is probably wrong.", e);
        }

        if (activated.CompletionCode != 0 || activated.Data.Length < 10)
            throw new PowerException(PowerErrorKind.AuthenticationFailed, $"The BMC at {bmc} refused Activate Session ({CompletionCodes.Describe(activated.CompletionCode)}): wrong password or privilege level.");
        sessionId = BinaryPrimitives.ReadUInt32LittleEndian(activated.Data.AsSpan(1));
        // the sequence number the BMC expects on the console's next message
        outboundSequence = BinaryPrimitives.ReadUInt32LittleEndian(activated.Data.AsSpan(5)) - 1;
        active = true;

        var raised = await SendAsync(AppCommands.NetFnApp, AppCommands.SetSessionPrivilegeLevel, [(byte)credentials.Privilege], "Set Session Privilege Level", ct);
        if (raised.CompletionCode != 0)
            throw new PowerException(PowerErrorKind.AuthenticationFailed,
                $"The BMC at {bmc} refused privilege level {credentials.Privilege} for this user ({CompletionCodes.Describe(raised.CompletionCode)}).");
    }

    /// <summary>Answers in the session must carry the session's auth type and a correct auth code; the pre-session ones none.</summary>
    private bool Authentic(Ipmi15Frame frame)
    {
        if (frame.AuthType == Ipmi15Packet.AuthTypeNone)
            return frame.SessionId == 0 || !active;
        if (frame.AuthType != authType || frame.SessionId != sessionId)
            return false;
        var expected = AuthCode(frame.AuthType, frame.SessionId, frame.Message, frame.Sequence);
        return CryptographicOperations.FixedTimeEquals(expected, frame.AuthCode);
    }

    /// <summary>MD5: MD5(password, session ID, message, session sequence, password); straight password: the password itself.</summary>
    internal static byte[] AuthCode(byte type, uint session, ReadOnlySpan<byte> message, uint sequence, ReadOnlySpan<byte> password16)
    {
        if (type == Ipmi15Packet.AuthTypeNone)
            return [];
        if (type == Ipmi15Packet.AuthTypeStraightPassword)
            return password16.ToArray();
        var data = new byte[16 + 4 + message.Length + 4 + 16];
        password16.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), session);
        message.CopyTo(data.AsSpan(20));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(20 + message.Length), sequence);
        password16.CopyTo(data.AsSpan(24 + message.Length));
        // MD5 is what IPMI 1.5 defines for its auth code; the driver only uses it when power_driver=LAN asks for 1.5
#pragma warning disable CA5351
        return MD5.HashData(data);
#pragma warning restore CA5351
    }

    private byte[] AuthCode(byte type, uint session, ReadOnlySpan<byte> message, uint sequence) => AuthCode(type, session, message, sequence, password);

    private static byte[] Pad16(byte[] secret)
    {
        var padded = new byte[16];
        secret.CopyTo(padded, 0);
        return padded;
    }

    private static uint RandomNonZero()
    {
        uint value;
        do
            value = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
        while (value == 0);
        return value;
    }

    private byte NextRequestSequence() => requestSequence = (byte)((requestSequence + 1) & 0x3F);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (active)
            {
                var id = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(id, sessionId);
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
            transport.Dispose();
        }
    }
}
