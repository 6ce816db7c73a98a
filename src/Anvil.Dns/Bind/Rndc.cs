namespace Anvil.Dns.Bind;

/// <summary>Drives named through rndc with the configuration <see cref="NamedConfigWriter"/> wrote (<c>rndc.conf</c>).</summary>
public sealed class Rndc(NamedOptions options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string program = options.RndcPath ?? "rndc";
    private readonly string configuration = new NamedFiles(options.Directory).RndcConf;

    /// <summary>named re-reads its configuration: zones added or removed, options changed.</summary>
    public Task ReconfigAsync(CancellationToken ct) => RunAsync(["reconfig"], ct);

    /// <summary>named reloads one zone from its file, or with <paramref name="zone"/> null, everything.</summary>
    public Task ReloadAsync(string? zone, CancellationToken ct) =>
        RunAsync(zone is null ? ["reload"] : ["reload", BindName.Normalise(zone, "zone name")], ct);

    /// <summary>rndc's status report; throws <see cref="RndcException"/> when named does not answer.</summary>
    public Task<string> StatusAsync(CancellationToken ct) => RunAsync(["status"], ct);

    internal Task<ToolResult> TryStatusAsync(TimeSpan timeout, CancellationToken ct) =>
        Tool.RunAsync(program, ["-c", configuration, "status"], timeout, ct);

    private async Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken ct)
    {
        var result = await Tool.RunAsync(program, ["-c", configuration, .. command], Timeout, ct);
        if (!result.Succeeded)
            throw new RndcException($"rndc {string.Join(' ', command)} failed: {result.Output}");
        return result.Output;
    }
}
