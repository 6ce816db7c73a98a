using Anvil.Domain.Ipam;
using Anvil.Domain.Leases;

namespace Anvil.Data.Leases;

/// <summary>
/// One event that passed rules 1–3, with what the statements need of it. <c>Order</c> is its
/// position in the batch: within a round, an earlier commit of an address wins it first.
/// </summary>
internal sealed record PlannedLease(int Order, LeaseEvent Lease, string Mac, IpAddress Ip, LeaseSubnet Subnet, string? Hostname)
{
    public bool IsCommit => Lease.Action == LeaseAction.Commit;
}

/// <summary>
/// A batch decided in memory before anything is written: the counts, the unknown interfaces to
/// create (rule 3), and the events to apply cut into rounds. A round is a run of consecutive
/// events with no MAC and no address twice, applied by a few set-based statements; a new round
/// starts at the first event that repeats one. Rounds are never reordered: an event interacts
/// with earlier ones not only through its own MAC and address but through the addresses its
/// MAC holds at the time, which only the database knows. A batch of distinct clients (what a
/// rack sends, §11.1) is a single round.
/// </summary>
internal sealed class LeasePlan
{
    private LeasePlan(int ignored, IReadOnlyList<string> errors, IReadOnlyList<(string Mac, long VlanId)> newInterfaces, IReadOnlyList<IReadOnlyList<PlannedLease>> rounds)
    {
        Ignored = ignored;
        Errors = errors;
        NewInterfaces = newInterfaces;
        Rounds = rounds;
    }

    public int Applied => Rounds.Sum(r => r.Count);

    public int Ignored { get; }

    public IReadOnlyList<string> Errors { get; }

    /// <summary>Rule 3: each MAC no interface carries, on the VLAN of its first commit's subnet.</summary>
    public IReadOnlyList<(string Mac, long VlanId)> NewInterfaces { get; }

    public IReadOnlyList<IReadOnlyList<PlannedLease>> Rounds { get; }

    /// <summary>Decides every event; <paramref name="knownMacs"/> are the batch's MACs that some interface already carries, normalised.</summary>
    public static LeasePlan Make(IReadOnlyList<LeaseEvent> events, IReadOnlyList<LeaseSubnet> subnets, IReadOnlySet<string> knownMacs)
    {
        var ignored = 0;
        var errors = new List<string>();
        var created = new List<(string, long)>();
        var known = new HashSet<string>(knownMacs, StringComparer.Ordinal);
        var rounds = new List<List<PlannedLease>>();
        var roundMacs = new HashSet<string>(StringComparer.Ordinal);
        var roundIps = new HashSet<IpAddress>();
        for (var order = 0; order < events.Count; order++)
        {
            var lease = events[order];
            var decision = LeaseRules.Decide(lease, subnets);
            if (decision.Kind == LeaseDecisionKind.Error)
            {
                errors.Add($"{lease.Action} {lease.Mac} {lease.Ip}: {decision.Reason}");
                continue;
            }

            if (decision.Kind == LeaseDecisionKind.Ignore)
            {
                ignored++;
                continue;
            }

            var subnet = decision.Subnet!;
            var mac = LeaseRules.NormaliseMac(lease.Mac)!;
            if (!known.Contains(mac))
            {
                if (lease.Action != LeaseAction.Commit)
                {
                    ignored++;
                    continue;
                }

                created.Add((mac, subnet.VlanId));
                known.Add(mac);
            }

            var ip = IpAddress.Parse(lease.Ip);
            if (rounds.Count == 0 || roundMacs.Contains(mac) || roundIps.Contains(ip))
            {
                rounds.Add([]);
                roundMacs.Clear();
                roundIps.Clear();
            }

            roundMacs.Add(mac);
            roundIps.Add(ip);
            var hostname = lease.Action == LeaseAction.Commit ? LeaseRules.DynamicHostname(lease.Hostname) : null;
            rounds[^1].Add(new PlannedLease(order, lease, mac, ip, subnet, hostname));
        }

        return new LeasePlan(ignored, errors, created, rounds);
    }
}
