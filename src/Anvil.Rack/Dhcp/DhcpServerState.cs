namespace Anvil.Rack.Dhcp;

/// <summary>Whether the DHCP service is serving, for the rack's service status.</summary>
public enum DhcpServerState
{
    Stopped,
    Running,

    /// <summary>A receive loop died; the process should be restarted.</summary>
    Failed,
}
