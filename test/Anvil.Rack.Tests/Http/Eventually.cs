namespace Anvil.Rack.Tests.Http;

/// <summary>
/// Waits for something the server does after the client already has its response (the access log
/// line, the request counter), failing after a generous bound instead of hanging.
/// </summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
                return false;
            await Task.Delay(10, CancellationToken.None);
        }

        return true;
    }
}
