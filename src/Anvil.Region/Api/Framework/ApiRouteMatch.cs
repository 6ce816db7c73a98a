namespace Anvil.Region.Api.Framework;

/// <summary>The resource a path resolved to, its path parameters, and the op of an <c>/op-&lt;name&gt;</c> path.</summary>
internal sealed record ApiRouteMatch(ApiResource Resource, IReadOnlyDictionary<string, string> Route, string? PathOp);
