using System.Diagnostics;

namespace Anvil.Testing.Dns;

/// <summary>BIND's own <c>dig</c>, the peer tests ask to see what a name server really answers.</summary>
public static class Dig
{
    /// <summary>The answer's data lines (<c>+short</c>), empty for NXDOMAIN or no data.</summary>
    public static async Task<IReadOnlyList<string>> ShortAsync(int port, string name, string type = "A", string server = "127.0.0.1")
    {
        var output = await RunAsync(["@" + server, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+short", "+tries=1", "+time=2", name, type]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';'))];
    }

    /// <summary>The answer section as zone-file lines (<c>name ttl IN type data</c>).</summary>
    public static async Task<IReadOnlyList<string>> AnswerAsync(int port, string name, string type = "A", string server = "127.0.0.1")
    {
        var output = await RunAsync(["@" + server, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+noall", "+answer", "+tries=1", "+time=2", name, type]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';'))];
    }

    /// <summary>A reverse lookup: the PTR names of an address.</summary>
    public static async Task<IReadOnlyList<string>> ReverseAsync(int port, string address, string server = "127.0.0.1")
    {
        var output = await RunAsync(["@" + server, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+short", "+tries=1", "+time=2", "-x", address]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';'))];
    }

    /// <summary>A zone transfer signed with <paramref name="key"/> (<c>hmac-sha512:name:base64</c>): every record line.</summary>
    public static async Task<IReadOnlyList<string>> TransferAsync(int port, string zone, string key, string server = "127.0.0.1")
    {
        var output = await RunAsync(["@" + server, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", key, "+nocmd", "+nostats", "+noall", "+answer", zone, "AXFR"]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';'))];
    }

    /// <summary>Polls until <paramref name="done"/> holds for the answer; returns how long it took, or throws with the last answer.</summary>
    public static async Task<TimeSpan> WaitForAsync(Func<Task<IReadOnlyList<string>>> ask, Func<IReadOnlyList<string>, bool> done, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> last = [];
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            last = await ask();
            if (done(last))
                return clock.Elapsed;
            await Task.Delay(20);
        }

        throw new TimeoutException($"Timed out waiting for {what}; last answer: [{string.Join(", ", last)}]");
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dig did not start (apt-get install bind9-dnsutils).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await stdout + await stderr;
    }
}
