using Anvil.Domain.Machines;

namespace Anvil.Region.Power;

/// <summary>
/// How the region drives machines' power. Requests run after the state change that asked for
/// them has committed; a failure is reported back as an event and a failed status.
/// </summary>
public interface IPowerService
{
    /// <summary>Power types the region accepts for machines (empty string = not configured).</summary>
    IReadOnlyCollection<string> PowerTypes { get; }

    /// <summary>Whether the driver can report the power state (manual cannot).</summary>
    bool CanQuery(string powerType);

    Task ExecuteAsync(string systemId, string powerType, PowerRequest request, CancellationToken cancellationToken);

    /// <summary>The current power state: <c>on</c>, <c>off</c>, <c>unknown</c> or <c>error</c>.</summary>
    Task<string> QueryAsync(string systemId, string powerType, CancellationToken cancellationToken);

    /// <summary>A query for the poller: like <see cref="QueryAsync"/>, but it may wait for room on a busy rack.</summary>
    Task<string> PollAsync(string systemId, string powerType, CancellationToken cancellationToken) => QueryAsync(systemId, powerType, cancellationToken);
}
