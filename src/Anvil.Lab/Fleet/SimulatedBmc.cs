using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Anvil.Lab.Fleet.Bmc;
using Anvil.Rack.Power.Ipmi.Codec;
using Anvil.Rack.Power.Ipmi.Commands;
using Anvil.Rack.Power.Ipmi.Session;

namespace Anvil.Lab.Fleet;

/// <summary>
/// A lightweight BMC on its own UDP port: IPMI 2.0 over LAN (RMCP+, cipher suites 3 and 17, one user), enough for Anvil's IPMI driver, ipmitool and ipmipower: Get Channel Authentication
/// Capabilities, Get Channel Cipher Suites, Open Session, RAKP 1-4, Set Session Privilege Level,
/// Close Session, Get Device ID, Get Chassis Status, Chassis Control and the boot flags. It switches
/// an <see cref="IChassis"/>. Datagrams that do not parse or fail their integrity check are dropped
/// and counted, never answered.
/// </summary>
internal sealed class SimulatedBmc : IAsyncDisposable
{
    private const byte PrivilegeOperator = 3;
    private const byte PrivilegeAdministrator = 4;
    private const int MaxSessions = 32;
    private static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket socket;
    private readonly IChassis chassis;
    private readonly byte[] userName;
    private readonly byte[] userKey;
    private readonly byte[] guid = RandomNumberGenerator.GetBytes(16);
    private readonly Dictionary<uint, BmcSession> sessions = [];
    private readonly CancellationTokenSource stop = new();
    private readonly TimeProvider time;
    private Task? loop;
    private long dropped;
    private long commands;

    public SimulatedBmc(IPEndPoint listen, string user, string password, IChassis chassis, TimeProvider? time = null)
    {
        userName = Encoding.UTF8.GetBytes(user);
        var secret = Encoding.UTF8.GetBytes(password);
        if (userName.Length > 16 || secret.Length > RakpKeys.KeyLength)
            throw new ArgumentException("An IPMI user name is at most 16 bytes and a password at most 20.");
        userKey = RakpKeys.Key(secret);
        this.chassis = chassis;
        this.time = time ?? TimeProvider.System;
        socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(listen);
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Where the BMC listens (with the port the system chose when asked for 0).</summary>
    public IPEndPoint Endpoint { get; }

    public string User => Encoding.UTF8.GetString(userName);

    /// <summary>Datagrams dropped: malformed, unknown session, failed integrity check.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>IPMI commands answered inside sessions.</summary>
    public long Commands => Interlocked.Read(ref commands);

    public void Start() => loop = Task.Run(() => ReceiveLoopAsync(stop.Token));

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(Endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP errors from earlier sends surface here on Linux
            }

            byte[]? reply;
            try
            {
                reply = Handle(buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException or InvalidOperationException)
            {
                reply = null;
            }

            if (reply is null)
            {
                Interlocked.Increment(ref dropped);
                continue;
            }

            try
            {
                await socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, ct);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref dropped);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The answer to one datagram, or null to drop it.</summary>
    internal byte[]? Handle(ReadOnlySpan<byte> datagram)
    {
        if (!Rmcp.IsIpmiDatagram(datagram) || datagram.Length < Rmcp.HeaderLength + 1)
            return null;
        if (datagram[Rmcp.HeaderLength] != Ipmi15Packet.AuthTypeRmcpPlus)
            return HandleIpmi15(datagram);
        var header = datagram[Rmcp.HeaderLength..];
        if (header.Length < RmcpPlusPacket.SessionHeaderLength)
            return null;
        var sessionId = BinaryPrimitives.ReadUInt32LittleEndian(header[2..]);
        if (sessionId == 0)
        {
            if (!RmcpPlusPacket.TryDecode(datagram, null, out var frame))
                return null;
            return frame.Type switch
            {
                RmcpPlusPayloadType.OpenSessionRequest => OpenSession(frame.Payload),
                RmcpPlusPayloadType.Rakp1 => Rakp1(frame.Payload),
                RmcpPlusPayloadType.Rakp3 => Rakp3(frame.Payload),
                RmcpPlusPayloadType.IpmiMessage => Sessionless(frame.Payload, wrap: m => RmcpPlusPacket.Encode(RmcpPlusPayloadType.IpmiMessage, 0, 0, m, null)),
                _ => null,
            };
        }

        lock (sessions)
        {
            if (!sessions.TryGetValue(sessionId, out var session) || session.Keys is null)
                return null;
            if (!RmcpPlusPacket.TryDecode(datagram, session.Keys, out var frame) || frame.Type != RmcpPlusPayloadType.IpmiMessage)
                return null;
            if (!BmcMessages.TryReadRequest(frame.Payload, out var request))
                return null;
            session.LastActivity = time.GetUtcNow();
            var response = InSession(session, request);
            var packet = RmcpPlusPacket.Encode(RmcpPlusPayloadType.IpmiMessage, session.ConsoleSessionId, ++session.OutboundSequence, response, session.Keys);
            if (request.NetFn == AppCommands.NetFnApp && request.Command == AppCommands.CloseSession && response[6] == CompletionCodes.Ok)
            {
                sessions.Remove(sessionId);
                session.Dispose();
            }

            Interlocked.Increment(ref commands);
            return packet;
        }
    }

    private byte[]? HandleIpmi15(ReadOnlySpan<byte> datagram)
    {
        // Only what precedes a session: anything authenticated the IPMI 1.5 way is not offered.
        if (!Ipmi15Packet.TryDecode(datagram, out var frame) || frame.AuthType != Ipmi15Packet.AuthTypeNone || frame.SessionId != 0)
            return null;
        return Sessionless(frame.Message, wrap: m => Ipmi15Packet.Encode(Ipmi15Packet.AuthTypeNone, 0, 0, [], m));
    }

    private static byte[]? Sessionless(byte[] message, Func<byte[], byte[]> wrap)
    {
        if (!BmcMessages.TryReadRequest(message, out var request) || request.NetFn != AppCommands.NetFnApp)
            return null;
        return request.Command switch
        {
            AppCommands.GetChannelAuthCapabilities => wrap(BmcMessages.WriteResponse(request, CompletionCodes.Ok, ChannelAuthCapabilities())),
            GetChannelCipherSuites => wrap(CipherSuites(request)),
            _ => null,
        };
    }

    private const byte GetChannelCipherSuites = 0x54;
    private const byte GetDeviceId = 0x01;
    private const byte GetSystemBootOptions = 0x09;

    /// <summary>Channel 1; auth types: the IPMI 2.0 extended data bit plus straight password; non-null user names; IPMI 1.5 and 2.0; no OEM.</summary>
    private static byte[] ChannelAuthCapabilities() => [0x01, 0x80 | 0x10, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00];

    /// <summary>
    /// The cipher suite records, 16 bytes per list index: suites 3 (SHA-1) and 17 (SHA-256).
    /// </summary>
    private static byte[] CipherSuites(IpmiRequest request)
    {
        byte[] records = [0xC0, 0x03, 0x01, 0x41, 0x81, 0xC0, 0x11, 0x03, 0x44, 0x81];
        var index = request.Data.Length >= 3 ? request.Data[2] & 0x3F : 0;
        var from = Math.Min(records.Length, index * 16);
        var chunk = records.AsSpan(from, Math.Min(16, records.Length - from));
        var data = new byte[1 + chunk.Length];
        data[0] = 0x01;
        chunk.CopyTo(data.AsSpan(1));
        return BmcMessages.WriteResponse(request, CompletionCodes.Ok, data);
    }

    private byte[]? OpenSession(byte[] payload)
    {
        if (!OpenSessionProposal.TryRead(payload, out var proposal))
            return null;
        byte[] Reply(byte[] message) => RmcpPlusPacket.Encode(RmcpPlusPayloadType.OpenSessionResponse, 0, 0, message, null);
        var suite = SuiteFor(proposal);
        if (suite is null)
            return Reply(OpenSessionProposal.Refuse(proposal.Tag, 0x11, proposal.ConsoleSessionId));
        if (proposal.Privilege > PrivilegeAdministrator)
            return Reply(OpenSessionProposal.Refuse(proposal.Tag, 0x09, proposal.ConsoleSessionId));
        var privilege = proposal.Privilege == 0 ? PrivilegeAdministrator : proposal.Privilege;
        lock (sessions)
        {
            Expire();
            if (sessions.Count >= MaxSessions)
                return Reply(OpenSessionProposal.Refuse(proposal.Tag, 0x01, proposal.ConsoleSessionId));
            uint id;
            do
                id = BinaryPrimitives.ReadUInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
            while (id == 0 || sessions.ContainsKey(id));
            sessions[id] = new BmcSession(id, proposal.ConsoleSessionId, suite, privilege) { LastActivity = time.GetUtcNow() };
            return Reply(OpenSessionProposal.Accept(proposal, privilege, id));
        }
    }

    private static CipherSuite? SuiteFor(OpenSessionProposal p) =>
        new[] { CipherSuite.Suite3, CipherSuite.Suite17 }.FirstOrDefault(suite =>
            p.Authentication == suite.AuthenticationAlgorithm && p.Integrity == suite.IntegrityAlgorithm && p.Confidentiality == suite.ConfidentialityAlgorithm);

    private byte[]? Rakp1(byte[] payload)
    {
        if (!Rakp1Request.TryRead(payload, out var rakp1))
            return null;
        byte[] Reply(byte[] message) => RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp2, 0, 0, message, null);
        lock (sessions)
        {
            if (!sessions.TryGetValue(rakp1.BmcSessionId, out var session) || session.Keys is not null)
                return Reply(RakpReplies.Rakp2(rakp1.Tag, 0x02, 0, [], [], []));
            var privilege = rakp1.Role & 0x0F;
            if (privilege is 0 or > PrivilegeAdministrator || privilege > session.MaximumPrivilege)
                return Reply(Refused(session, RakpReplies.Rakp2(rakp1.Tag, 0x09, session.ConsoleSessionId, [], [], [])));
            if (!CryptographicOperations.FixedTimeEquals(rakp1.UserName, userName))
                return Reply(Refused(session, RakpReplies.Rakp2(rakp1.Tag, 0x0D, session.ConsoleSessionId, [], [], [])));
            session.Role = rakp1.Role;
            session.ConsoleRandom = rakp1.ConsoleRandom;
            session.UserName = rakp1.UserName;
            session.BmcRandom = RandomNumberGenerator.GetBytes(16);
            session.LastActivity = time.GetUtcNow();
            var authCode = RakpKeys.Rakp2AuthCode(session.Suite, userKey, session.ConsoleSessionId, session.BmcSessionId,
                session.ConsoleRandom, session.BmcRandom, guid, session.Role, session.UserName);
            return Reply(RakpReplies.Rakp2(rakp1.Tag, 0, session.ConsoleSessionId, session.BmcRandom, guid, authCode));
        }
    }

    private byte[]? Rakp3(byte[] payload)
    {
        if (!Rakp3Request.TryRead(payload, out var rakp3))
            return null;
        byte[] Reply(byte[] message) => RmcpPlusPacket.Encode(RmcpPlusPayloadType.Rakp4, 0, 0, message, null);
        lock (sessions)
        {
            if (!sessions.TryGetValue(rakp3.BmcSessionId, out var session) || session.Keys is not null || session.BmcRandom.Length == 0)
                return Reply(RakpReplies.Rakp4(rakp3.Tag, 0x02, 0, []));
            if (rakp3.Status != 0)
            {
                // The console gave up on this session (it did not trust RAKP 2).
                Refused(session, []);
                return null;
            }

            var expected = RakpKeys.Rakp3AuthCode(session.Suite, userKey, session.BmcRandom, session.ConsoleSessionId, session.Role, session.UserName);
            if (!CryptographicOperations.FixedTimeEquals(expected, rakp3.AuthCode))
                return Reply(Refused(session, RakpReplies.Rakp4(rakp3.Tag, 0x0F, session.ConsoleSessionId, [])));
            // No K_g is set, so the password is the BMC key too (IPMI 2.0 §13.31).
            var sik = RakpKeys.SessionIntegrityKey(session.Suite, userKey, session.ConsoleRandom, session.BmcRandom, session.Role, session.UserName);
            session.Keys = new SessionKeys(session.Suite, RakpKeys.AdditionalKey(session.Suite, sik, 1), RakpKeys.AdditionalKey(session.Suite, sik, 2));
            session.LastActivity = time.GetUtcNow();
            var check = RakpKeys.Rakp4IntegrityCheck(session.Suite, sik, session.ConsoleRandom, session.BmcSessionId, guid);
            return Reply(RakpReplies.Rakp4(rakp3.Tag, 0, session.ConsoleSessionId, check));
        }
    }

    /// <summary>Forgets a session whose setup failed and passes the refusal on.</summary>
    private byte[] Refused(BmcSession session, byte[] message)
    {
        sessions.Remove(session.BmcSessionId);
        session.Dispose();
        return message;
    }

    private byte[] InSession(BmcSession session, IpmiRequest request)
    {
        byte[] Ok(params byte[] data) => BmcMessages.WriteResponse(request, CompletionCodes.Ok, data);
        byte[] Fail(byte code) => BmcMessages.WriteResponse(request, code, []);
        switch (request.NetFn, request.Command)
        {
            case (AppCommands.NetFnApp, AppCommands.GetChannelAuthCapabilities):
                return Ok(ChannelAuthCapabilities());
            case (AppCommands.NetFnApp, AppCommands.SetSessionPrivilegeLevel):
                if (request.Data.Length < 1)
                    return Fail(0xC7);
                var asked = (byte)(request.Data[0] & 0x0F);
                if (asked == 0)
                    return Ok(session.Privilege);
                if (asked > session.MaximumPrivilege || asked > (session.Role & 0x0F))
                    return Fail(0x81);
                session.Privilege = asked;
                return Ok(asked);
            case (AppCommands.NetFnApp, AppCommands.CloseSession):
                return request.Data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(request.Data) == session.BmcSessionId ? Ok() : Fail(0x87);
            case (AppCommands.NetFnApp, GetDeviceId):
                // device 0x20, revision 1, firmware 1.0, IPMI 2.0, chassis + bridge + IPMB + FRU + SEL + SDR support, no manufacturer
                return Ok(0x20, 0x01, 0x01, 0x00, 0x02, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x00);
            case (ChassisCommands.NetFnChassis, ChassisCommands.GetChassisStatus):
                // power state, last power event, misc chassis state, front panel
                return Ok((byte)(chassis.IsOn ? 0x01 : 0x00), 0x00, 0x00, 0x00);
            case (ChassisCommands.NetFnChassis, ChassisCommands.ChassisControl):
                if (session.Privilege < PrivilegeOperator)
                    return Fail(0xD4);
                if (request.Data.Length < 1)
                    return Fail(0xC7);
                switch ((ChassisControlAction)(request.Data[0] & 0x0F))
                {
                    case ChassisControlAction.PowerDown:
                        chassis.PowerOff();
                        return Ok();
                    case ChassisControlAction.PowerUp:
                        chassis.PowerOn();
                        return Ok();
                    case ChassisControlAction.PowerCycle or ChassisControlAction.HardReset:
                        chassis.PowerCycle();
                        return Ok();
                    case ChassisControlAction.SoftShutdown:
                        chassis.SoftOff();
                        return Ok();
                    default:
                        return Fail(CompletionCodes.InvalidDataField);
                }

            case (ChassisCommands.NetFnChassis, ChassisCommands.SetSystemBootOptions):
                if (session.Privilege < PrivilegeOperator)
                    return Fail(0xD4);
                // parameter 5 (boot flags) with "force PXE" in the device selector
                if (request.Data.Length >= 3 && (request.Data[0] & 0x7F) == 0x05 && ((request.Data[2] >> 2) & 0x0F) == 0x01)
                    chassis.SetNextBootPxe();
                return Ok();
            case (ChassisCommands.NetFnChassis, GetSystemBootOptions):
                return Fail(CompletionCodes.ParameterNotSupported);
            default:
                return Fail(CompletionCodes.InvalidCommand);
        }
    }

    private void Expire()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in sessions.Where(s => now - s.Value.LastActivity > SessionIdleTimeout).ToList())
        {
            sessions.Remove(id);
            session.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket.Dispose();
        if (loop is not null)
            await loop;
        lock (sessions)
        {
            foreach (var session in sessions.Values)
                session.Dispose();
            sessions.Clear();
        }

        stop.Dispose();
    }
}
