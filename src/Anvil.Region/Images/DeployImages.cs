using System.Text.Json;
using Anvil.Data;
using Anvil.Data.Images;
using Anvil.Domain.Images;
using Anvil.Region.Deploy;

namespace Anvil.Region.Images;

/// <summary>
/// The root image a deployment writes: from the current set of the resource named
/// <c>osystem/series</c> (for <c>custom</c>, the bare name too), on the machine's exact
/// architecture, else its <c>generic</c> one, else one whose <c>subarches</c> list the machine's,
/// the first root file (tarball or disk image).
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

    /// <summary>
    /// The root files usable on <paramref name="architecture"/>, best first: the exact architecture,
    /// then the <c>generic</c> one, then an image of another subarchitecture whose <c>subarches</c>
    /// list the machine's (how a mirror's Ubuntu images, stored per kernel as <c>amd64/ga-24.04</c>,
    /// serve <c>amd64/generic</c> machines; the release's GA kernel before HWE ones); newest version first.
    /// </summary>
    private static IEnumerable<CatalogFile> Candidates(IEnumerable<CatalogFile> catalog, string architecture)
    {
        var slash = architecture.IndexOf('/');
        var arch = slash < 0 ? architecture : architecture[..slash];
        var subarch = slash < 0 ? BootArchitecture.Generic : architecture[(slash + 1)..];
        var generic = $"{arch}/{BootArchitecture.Generic}";
        var exact = $"{arch}/{subarch}";
        int Rank(BootImageFileRow row) =>
            row.Architecture == exact ? 0
            : row.Architecture == generic ? 1
            : row.Architecture.StartsWith($"{arch}/", StringComparison.Ordinal) && Subarches(row.Extra).Contains(subarch) ? 2
            : -1;
        return catalog
            .Where(f => BootFileTypes.IsRootImage(f.Row.Filetype) && Rank(f.Row) >= 0)
            .OrderBy(f => Rank(f.Row))
            .ThenByDescending(f => f.Row.Architecture.StartsWith($"{arch}/ga-", StringComparison.Ordinal))
            .ThenByDescending(f => f.Row.Version, StringComparer.Ordinal)
            .ThenBy(f => f.Row.Filename, StringComparer.Ordinal);
    }

    /// <summary>The <c>subarches</c> a resource serves, from its extra fields (a comma-separated string, as simplestreams gives it).</summary>
    private static string[] Subarches(string extra)
    {
        try
        {
            using var json = JsonDocument.Parse(extra);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("subarches", out var list) && list.ValueKind == JsonValueKind.String
                ? list.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
