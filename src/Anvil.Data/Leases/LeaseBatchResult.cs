namespace Anvil.Data.Leases;

/// <summary>What a batch did: events recorded, ignored (outside dynamic ranges, unknown MAC on expiry/release), and refused with a reason.</summary>
public sealed record LeaseBatchResult(int Applied, int Ignored, IReadOnlyList<string> Errors);
