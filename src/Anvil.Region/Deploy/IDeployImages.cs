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
}

/// <summary>
/// A root image: <paramref name="Path"/> is below the rack's <c>/images/</c> (what the rack serves
/// once synced); <paramref name="FileType"/> is MAAS's file type (<c>root-tgz</c>, <c>root-txz</c>,
/// <c>root-dd</c>, <c>root-dd.raw</c>, <c>root-dd.xz</c>, …).
/// </summary>
public sealed record DeployImage(string Path, string FileType, string Sha256, long Size);
