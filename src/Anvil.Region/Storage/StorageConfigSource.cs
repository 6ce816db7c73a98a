using System.Text.Json.Nodes;
using Anvil.Data;
using Anvil.Data.Storage;
using Anvil.Domain.Errors;
using Anvil.Domain.Storage;
using Anvil.Region.Deploy;

namespace Anvil.Region.Storage;

/// <summary>The install config's storage: the node's storage model from the database, rendered by <see cref="CurtinStorage"/>.</summary>
internal sealed class StorageConfigSource(Database db) : IStorageConfigSource
{
    public async Task<JsonArray> RenderAsync(long nodeId, CancellationToken cancellationToken)
    {
        var model = await db.ReadAsync(c => StorageReader.LoadAsync(c, null, nodeId, lockNode: false, cancellationToken), cancellationToken)
            ?? throw new NotFoundException("No Node matches the given query.");
        return CurtinStorage.Render(model);
    }
}
