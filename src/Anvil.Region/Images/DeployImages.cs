using Anvil.Data;
using Anvil.Domain.Images;
using Anvil.Region.Deploy;

namespace Anvil.Region.Images;

/// <summary>
/// The root image a deployment writes: from the current set of the resource named
/// <c>osystem/series</c> (for <c>custom</c>, the bare name too), on the machine's exact
/// architecture or else its <c>generic</c> one, the first root file (tarball or disk image).
/// </summary>
internal sealed class DeployImages(Database db) : IDeployImages
{
    public async Task<DeployImage?> FindAsync(string osystem, string series, string architecture, CancellationToken cancellationToken)
    {
        var names = osystem == BootResourceName.CustomOs ? new[] { series, $"{osystem}/{series}" } : [$"{osystem}/{series}"];
        var slash = architecture.IndexOf('/');
        var arch = slash < 0 ? architecture : architecture[..slash];
        var exact = slash < 0 ? $"{arch}/{BootArchitecture.Generic}" : architecture;
        var generic = $"{arch}/{BootArchitecture.Generic}";
        var catalog = await db.ReadAsync(c => BootImageCatalog.ReadAsync(c, null, cancellationToken), cancellationToken);
        var match = catalog
            .Where(f => names.Contains(f.Row.Name) && (f.Row.Architecture == exact || f.Row.Architecture == generic) && BootFileTypes.IsRootImage(f.Row.Filetype))
            .OrderByDescending(f => f.Row.Architecture == exact)
            .ThenByDescending(f => f.Row.Version, StringComparer.Ordinal)
            .ThenBy(f => f.Row.Filename, StringComparer.Ordinal)
            .FirstOrDefault();
        return match is null ? null : new DeployImage(match.Path, match.Row.Filetype, match.Row.Sha256, match.Row.Size);
    }
}
