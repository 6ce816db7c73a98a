using System.Diagnostics.CodeAnalysis;

namespace Anvil.Rack.Tftp.Transfer;

/// <summary>
/// The deadline of one wait for an ACK, as a token that also fires when the server stops. Reused
/// from wait to wait while nothing times out, so a transfer of many windows does not allocate a
/// token per window. The stop is hooked on the server's token (not by linking to the deadline),
/// because resetting a source drops the registrations made on it.
/// </summary>
internal sealed class AckTimer : IDisposable
{
    private readonly TimeProvider time;
    private readonly CancellationToken stopping;
    private CancellationTokenSource deadline;
    private CancellationTokenRegistration onStop;

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
        return deadline.Token;
    }

    public void Dispose()
    {
        // Unhook first: disposing the registration waits for a running stop callback.
        onStop.Dispose();
        deadline.Dispose();
    }

    [MemberNotNull(nameof(deadline))]
    private void Renew()
    {
        deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        onStop = stopping.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
    }
}
