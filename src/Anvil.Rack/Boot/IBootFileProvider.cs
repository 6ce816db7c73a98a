using System.Net;

namespace Anvil.Rack.Boot;

/// <summary>
/// Files a booting client may fetch by name over TFTP or HTTP: bootloaders and images from the
/// boot-resources directory, and configs generated per client (<c>pxelinux.cfg/01-&lt;mac&gt;</c>,
/// <c>grub/grub.cfg-&lt;mac&gt;</c>, <c>ipxe.cfg-&lt;mac&gt;</c>). Returns null when there is no such file;
/// a name that tries to leave the boot-resources directory is never a file.
/// </summary>
public interface IBootFileProvider
{
    ValueTask<BootFile?> OpenAsync(string path, BootClient client, CancellationToken ct);
}

/// <summary>Who asks: the rack address the request arrived on and the client's address.</summary>
public sealed record BootClient(IPAddress LocalAddress, IPAddress RemoteAddress);
