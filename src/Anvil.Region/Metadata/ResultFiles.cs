namespace Anvil.Region.Metadata;

internal enum ResultFileKind
{
    /// <summary>Combined stdout and stderr: any name without a known suffix.</summary>
    Output,
    Stdout,
    Stderr,
    Result,
}

/// <summary>
/// What an uploaded file is, from its part name: <c>.out</c> is stdout, <c>.err</c> stderr,
/// <c>.yaml</c> the result (suffix case-insensitive and removed from the script name); any other
/// name is the combined output of the script of that very name.
/// </summary>
internal static class ResultFiles
{
    public static (string ScriptName, ResultFileKind Kind) Classify(string partName)
    {
        var slash = partName.LastIndexOf('/');
        var dot = partName.LastIndexOf('.');
        // A dot that starts the last path segment (".profile") is not a suffix.
        if (dot <= slash + 1)
            return (partName, ResultFileKind.Output);
        var kind = partName[dot..].ToLowerInvariant() switch
        {
            ".out" => ResultFileKind.Stdout,
            ".err" => ResultFileKind.Stderr,
            ".yaml" => ResultFileKind.Result,
            _ => ResultFileKind.Output,
        };
        return kind == ResultFileKind.Output ? (partName, kind) : (partName[..dot], kind);
    }
}
