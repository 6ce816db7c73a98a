namespace Anvil.Rack.Boot;

/// <summary>
/// Every file a booting client can fetch from the rack, whichever protocol it asks over. Generated
/// names (<see cref="BootConfigFileName"/>) are answered by asking <see cref="IBootConfigSource"/>
/// and rendering the answer for the client's bootloader; every other name is a file in the boot
/// resources directory. <c>images/&lt;name&gt;</c> is looked up in <c>&lt;root&gt;/images/</c> first and then
/// at the root, so that UEFI HTTP boot's <c>/images/bootx64.efi</c> finds the bootloader TFTP serves.
/// A failure of the config source reaches the caller.
/// </summary>
internal sealed class BootFiles(IBootConfigSource configs, BootResourcesDirectory directory) : IBootFileProvider
{
    private const string ImagesPrefix = "images/";

    public async ValueTask<BootFile?> OpenAsync(string path, BootClient client, CancellationToken ct)
    {
        if (BootConfigFileName.TryParse(path, out var name))
            return BootFile.FromText(await RenderAsync(name, client, ct));

        var trimmed = path.TrimStart('/');
        var stream = directory.Open(trimmed);
        if (stream is null && trimmed.StartsWith(ImagesPrefix, StringComparison.Ordinal))
            stream = directory.Open(trimmed[ImagesPrefix.Length..]);
        return stream is null ? null : new BootFile(stream, stream.Length);
    }

    private async Task<string> RenderAsync(BootConfigFileName name, BootClient client, CancellationToken ct)
    {
        if (name.FirstStage)
            return name.Format == BootConfigFormat.Grub ? GrubConfig.FirstStage : IpxeScript.FirstStage;

        var config = await configs.GetAsync(name.ToRequest(client), ct);
        return name.Format switch
        {
            BootConfigFormat.Pxelinux => PxelinuxConfig.Render(config),
            BootConfigFormat.Grub => GrubConfig.Render(config),
            _ => IpxeScript.Render(config),
        };
    }
}
