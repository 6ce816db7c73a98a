namespace Anvil.Region.Deploy;

/// <summary>Which imported or uploaded boot resource a deployment writes to disk.</summary>
public interface IDeployImages
{
    /// <summary>
    /// The newest complete root image for <paramref name="osystem"/>/<paramref name="series"/> on
    /// <paramref name="architecture"/> (<c>arch/subarch</c>; a <c>generic</c> image serves any
    /// subarchitecture), or null when there is none.
    /// </summary>
    Task<DeployImage?> FindAsync(string osystem, string series, string architecture, CancellationToken cancellationToken);

    /// <summary>
    /// Every OS/release <see cref="FindAsync"/> finds an image for on <paramref name="architecture"/>
    /// (what a deployment may choose), ordered by OS then release.
    /// </summary>
    Task<IReadOnlyList<DeployRelease>> ListAsync(string architecture, CancellationToken cancellationToken);
}

/// <summary>
/// A root image: <paramref name="Path"/> is below the rack's <c>/images/</c> (what the rack serves
/// once synced); <paramref name="FileType"/> is MAAS's file type (<c>root-tgz</c>, <c>root-txz</c>,
/// <c>root-dd</c>, <c>root-dd.raw</c>, <c>root-dd.xz</c>, …).
/// </summary>
public sealed record DeployImage(string Path, string FileType, string Sha256, long Size);

/// <summary>
/// An OS/release that can be deployed: <paramref name="Osystem"/> is <c>custom</c> for custom
/// images; <paramref name="ImageArchitecture"/> is the <c>arch/subarch</c> of the resource
/// <see cref="IDeployImages.FindAsync"/> would take (the machine's own, or <c>generic</c>).
/// </summary>
public sealed record DeployRelease(string Osystem, string Series, string ImageArchitecture);
