namespace Anvil.Rack.Tftp;

/// <summary>Whether the TFTP server is serving, as the rack reports it in its service list.</summary>
public enum TftpServerState
{
    /// <summary>Not started, or stopped (MAAS service status <c>off</c>).</summary>
    Off,

    /// <summary>Bound and answering requests (<c>running</c>).</summary>
    Running,

    /// <summary>Could not bind, or the receive loop failed (<c>dead</c>); see the status info.</summary>
    Dead,
}
