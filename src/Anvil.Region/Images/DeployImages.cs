using Anvil.Data;
using Anvil.Domain.Images;
using Anvil.Region.Deploy;

namespace Anvil.Region.Images;

/// <summary>
/// The root image a deployment writes: from the current set of the resource named
/// <c>osystem/series</c> (for <c>custom</c>, the bare name too), on the machine's exact
/// architecture or else its <c>generic</c> one, the first root file (tarball or disk image).
/// Finding one image and listing what can be deployed share <see cref="Candidates"/>, so deploy
/// never accepts a release the installer would then find no image for.
/// </summary>
internal sealed class DeployImages(Database db) : IDeployImages
{
    public async Task<DeployImage?> FindAsync(string osystem, string series, string architecture, CancellationToken cancellationToken)
    {
        var names = osystem == BootResourceName.CustomOs ? new[] { series, $"{osystem}/{series}" } : [$"{osystem}/{series}"];
        var match = (await CandidatesAsync(architecture, cancellationToken)).FirstOrDefault(f => names.Contains(f.Row.Name));
        return match is null ? null : new DeployImage(match.Path, match.Row.Filetype, match.Row.Sha256, match.Row.Size);
    }

    public async Task<IReadOnlyList<DeployRelease>> ListAsync(string architecture, CancellationToken cancellationToken)
    {
        var releases = new Dictionary<(string Os, string Series), DeployRelease>();
        foreach (var file in await CandidatesAsync(architecture, cancellationToken))
        {
            // The first candidate of a name is the one FindAsync takes.
            if (BootResourceName.TryParse(file.Row.Name, out var name))
                releases.TryAdd((name.Os, name.Series), new DeployRelease(name.Os, name.Series, file.Row.Architecture));
        }

        return releases.Values
            .OrderBy(r => r.Osystem, StringComparer.Ordinal)
            .ThenBy(r => r.Series, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<IEnumerable<CatalogFile>> CandidatesAsync(string architecture, CancellationToken cancellationToken)
    {
        var catalog = await db.ReadAsync(c => BootImageCatalog.ReadAsync(c, null, cancellationToken), cancellationToken);
        return Candidates(catalog, architecture);
    }

    /// <summary>The root files usable on <paramref name="architecture"/>, best first: exact architecture, newest version.</summary>
    private static IEnumerable<CatalogFile> Candidates(IEnumerable<CatalogFile> catalog, string architecture)
    {
        var slash = architecture.IndexOf('/');
        var arch = slash < 0 ? architecture : architecture[..slash];
        var generic = $"{arch}/{BootArchitecture.Generic}";
        var exact = slash < 0 ? generic : architecture;
        return catalog
            .Where(f => (f.Row.Architecture == exact || f.Row.Architecture == generic) && BootFileTypes.IsRootImage(f.Row.Filetype))
            .OrderByDescending(f => f.Row.Architecture == exact)
            .ThenByDescending(f => f.Row.Version, StringComparer.Ordinal)
            .ThenBy(f => f.Row.Filename, StringComparer.Ordinal);
    }
}
