using Anvil.Data.Tags;

namespace Anvil.Region.Api.Resources.Dto;

internal sealed record TagDto(string Name, string Definition, string Comment, string KernelOpts, string ResourceUri)
{
    public static TagDto From(TagRecord tag) => new(tag.Name, tag.Definition, tag.Comment, tag.KernelOpts, ResourceUris.Item("tags", tag.Name));
}

/// <summary>The answer of <c>update_nodes</c>: how many links were actually added and removed.</summary>
internal sealed record TagNodesUpdatedDto(int Added, int Removed);

/// <summary>The answer of <c>rebuild</c>.</summary>
internal sealed record TagRebuildingDto(string Rebuilding);
