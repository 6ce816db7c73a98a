using System.Diagnostics.CodeAnalysis;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// The deadline of one wait for an ACK, as a token that also fires when the server stops. Reused
/// from wait to wait while nothing times out, so a transfer of many windows does not allocate a
/// token per window.
/// </summary>
internal sealed class AckTimer : IDisposable
{
    private readonly TimeProvider time;
    private readonly CancellationToken stopping;
    private CancellationTokenSource deadline;
    private CancellationTokenSource linked;

    public AckTimer(TimeProvider time, CancellationToken stopping)
    {
        this.time = time;
        this.stopping = stopping;
        Renew();
    }

    /// <summary>True when the last wait ended because its deadline passed, not because the server stopped.</summary>
    public bool Expired => deadline.IsCancellationRequested && !stopping.IsCancellationRequested;

    public CancellationToken Start(TimeSpan timeout)
    {
        if (!deadline.TryReset())
        {
            Dispose();
            Renew();
        }

        deadline.CancelAfter(timeout);
        return linked.Token;
    }

    public void Dispose()
    {
        linked.Dispose();
        deadline.Dispose();
    }

    [MemberNotNull(nameof(deadline), nameof(linked))]
    private void Renew()
    {
        deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
    }
}
