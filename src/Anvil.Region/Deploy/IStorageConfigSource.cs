using System.Text.Json.Nodes;

namespace Anvil.Region.Deploy;

/// <summary>
/// A machine's storage model rendered as the entries of a curtin v1 storage config
/// (maas-api.md §14.2): <c>disk</c>, <c>partition</c>, <c>format</c>, <c>mount</c>,
/// <c>lvm_volgroup</c>, <c>lvm_partition</c>, <c>raid</c>, <c>bcache</c>. The installer in the
/// ephemeral environment applies them in order (docs/architecture/deployment.md).
/// </summary>
public interface IStorageConfigSource
{
    /// <summary>The <c>config</c> list for the node, or a <see cref="Domain.Errors.ValidationException"/> when it cannot be installed (no root file system).</summary>
    Task<JsonArray> RenderAsync(long nodeId, CancellationToken cancellationToken);
}
