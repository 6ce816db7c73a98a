namespace Anvil.Region.Metadata;

/// <summary>
/// The scripts a user asked for when starting an operation: names, tags or ids, as the
/// comma-separated <c>commissioning_scripts</c> / <c>testing_scripts</c> parameters give them.
/// Empty lists mean "the defaults".
/// </summary>
internal sealed record ScriptRequest(IReadOnlyList<string> Commissioning, IReadOnlyList<string> Testing, IReadOnlyList<string> Release)
{
    public static ScriptRequest Defaults { get; } = new([], [], []);

    public static IReadOnlyList<string> Split(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
