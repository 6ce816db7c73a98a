namespace Anvil.Domain.Leases;

/// <summary>What to do with one lease event once the subnet rules have been applied.</summary>
public enum LeaseDecisionKind
{
    /// <summary>Record it on the subnet (rules 3–6 follow).</summary>
    Apply,
    /// <summary>Dropped silently: the address is outside every dynamic range (rule 2).</summary>
    Ignore,
    /// <summary>Dropped with an error: no subnet holds the address, or the family is wrong (rule 1).</summary>
    Error,
}

public sealed record LeaseDecision(LeaseDecisionKind Kind, LeaseSubnet? Subnet, string? Reason)
{
    public static LeaseDecision Apply(LeaseSubnet subnet) => new(LeaseDecisionKind.Apply, subnet, null);

    public static LeaseDecision Ignore(string reason) => new(LeaseDecisionKind.Ignore, null, reason);

    public static LeaseDecision Error(string reason) => new(LeaseDecisionKind.Error, null, reason);
}
