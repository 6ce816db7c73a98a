using Anvil.Rack.Power.Ipmi.Session;

namespace Anvil.Lab.Fleet.Bmc;

/// <summary>One RMCP+ session from Open Session on: the RAKP state while it is set up, then its keys and privilege.</summary>
internal sealed class BmcSession(uint bmcSessionId, uint consoleSessionId, CipherSuite suite, byte maximumPrivilege) : IDisposable
{
    public uint BmcSessionId { get; } = bmcSessionId;

    public uint ConsoleSessionId { get; } = consoleSessionId;

    public CipherSuite Suite { get; } = suite;

    /// <summary>The highest privilege Open Session granted.</summary>
    public byte MaximumPrivilege { get; } = maximumPrivilege;

    /// <summary>RAKP 1's role byte, as the HMACs take it (privilege plus the name-only lookup bit).</summary>
    public byte Role { get; set; }

    public byte[] ConsoleRandom { get; set; } = [];

    public byte[] BmcRandom { get; set; } = [];

    public byte[] UserName { get; set; } = [];

    /// <summary>Set once RAKP 3 checked out; from then on every packet is signed and encrypted.</summary>
    public SessionKeys? Keys { get; set; }

    /// <summary>An RMCP+ session starts at User; Set Session Privilege Level raises it.</summary>
    public byte Privilege { get; set; } = 2;

    public uint OutboundSequence { get; set; }

    public DateTimeOffset LastActivity { get; set; }

    public void Dispose() => Keys?.Dispose();
}
