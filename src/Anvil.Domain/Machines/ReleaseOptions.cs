namespace Anvil.Domain.Machines;

/// <summary>
/// Release parameters. <see cref="Erase"/> is the request's <c>erase</c> or the
/// <c>enable_disk_erasing_on_release</c> config; <see cref="PowerQueryable"/> says whether the
/// machine's power driver can report the power state (a manual one cannot).
/// </summary>
public sealed record ReleaseOptions
{
    public string? Comment { get; init; }
    public bool Erase { get; init; }
    public bool PowerQueryable { get; init; } = true;
}
