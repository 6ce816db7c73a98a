namespace Anvil.Rpc.Contracts;

/// <summary>
/// A power request for one machine's BMC: <c>on</c>, <c>off</c>, <c>cycle</c>, <c>pxe</c> (network-boot
/// next time) or <c>query</c>, with the machine's power type and parameters by MAAS name. Failures come
/// back as link errors of kind <c>power_&lt;reason&gt;</c> (authentication_failed, unreachable, …).
/// </summary>
public sealed record PowerRequest(string SystemId, string Action, string PowerType, IReadOnlyDictionary<string, string> Parameters);

/// <summary>The power state after the action: <c>on</c>, <c>off</c>, <c>unknown</c>.</summary>
public sealed record PowerResponse(string State);
