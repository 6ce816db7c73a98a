namespace Anvil.Region.Metadata;

/// <summary>
/// The scripts a user asked for when starting an operation: names, tags or ids, as the
/// comma-separated <c>commissioning_scripts</c> / <c>testing_scripts</c> parameters give them.
/// Empty lists mean "the defaults". <see cref="ReleaseValues"/> are parameter values by parameter
/// name for the release scripts (release's <c>quick_erase</c> and <c>secure_erase</c> reach
/// <c>wipe-disks</c> this way).
/// </summary>
internal sealed record ScriptRequest(IReadOnlyList<string> Commissioning, IReadOnlyList<string> Testing, IReadOnlyList<string> Release)
{
    public static ScriptRequest Defaults { get; } = new([], [], []);

    public IReadOnlyDictionary<string, bool> ReleaseValues { get; init; } = new Dictionary<string, bool>();

    public static IReadOnlyList<string> Split(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
