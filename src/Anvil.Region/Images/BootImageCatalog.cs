using Anvil.Data.Images;
using Anvil.Domain.Images;
using Npgsql;

namespace Anvil.Region.Images;

/// <summary>A file of a resource's current set with the path racks serve it at below <c>/images/</c>.</summary>
public sealed record CatalogFile(BootImageFileRow Row, string Path);

/// <summary>
/// What racks serve: for every resource, the files of its newest complete set (every file arrived),
/// each at <c>&lt;short sha256&gt;/&lt;os&gt;/&lt;arch&gt;/&lt;subarch&gt;/&lt;series&gt;/&lt;label&gt;/&lt;filename&gt;</c> with the
/// short sha256 unique among all stored files. Deployments and rack manifests both read this, so a
/// machine is only ever pointed at a path its rack is told to hold.
/// </summary>
public static class BootImageCatalog
{
    public static async Task<IReadOnlyList<CatalogFile>> ReadAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var rows = await BootResourceStore.AllFilesAsync(c, tx, completeOnly: false, ct);
        var shortShas = ImagePaths.ShortShas(await BootResourceStore.AllSha256Async(c, tx, ct));
        var result = new List<CatalogFile>();
        foreach (var resource in rows.GroupBy(r => r.ResourceId))
        {
            var current = resource.GroupBy(r => r.SetId)
                .Where(set => set.All(f => f.BytesPresent >= f.Size))
                .MaxBy(set => set.First().Version, StringComparer.Ordinal);
            if (current is null)
                continue;
            foreach (var row in current)
            {
                if (!BootResourceName.TryParse(row.Name, out var name) || !BootArchitecture.TryParse(row.Architecture, out var architecture))
                    continue;
                result.Add(new CatalogFile(row, ImagePaths.For(shortShas[row.Sha256], name, architecture, row.Label, row.Filename)));
            }
        }

        return result;
    }
}
