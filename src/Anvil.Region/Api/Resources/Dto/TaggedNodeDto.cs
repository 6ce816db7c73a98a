using Anvil.Data.Tags;

namespace Anvil.Region.Api.Resources.Dto;

/// <summary>A stub node for the tag node listings until full node rendering is wired in (see TagsApi).</summary>
internal sealed record TaggedNodeDto(string SystemId, string Hostname, int NodeType, string ResourceUri)
{
    public static TaggedNodeDto From(TaggedNode node) => new(node.SystemId, node.Hostname, node.NodeType, ResourceUris.Item(Collection(node.NodeType), node.SystemId));

    private static string Collection(int nodeType) => (Domain.Machines.NodeType)nodeType switch
    {
        Domain.Machines.NodeType.MACHINE => "machines",
        Domain.Machines.NodeType.DEVICE => "devices",
        Domain.Machines.NodeType.RACK_CONTROLLER or Domain.Machines.NodeType.REGION_AND_RACK_CONTROLLER => "rackcontrollers",
        Domain.Machines.NodeType.REGION_CONTROLLER => "regioncontrollers",
        _ => "nodes",
    };
}
