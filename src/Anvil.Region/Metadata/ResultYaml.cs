using Anvil.Domain.Scripts;

namespace Anvil.Region.Metadata;

/// <summary>
/// The one thing the server reads from a script's result YAML: a top-level <c>status</c> of
/// passed, failed, degraded, timedout or skipped, which overrides the exit status. Read line by
/// line (a top-level key starts at column 0), not with a YAML library: the rest of the document
/// is kept byte for byte and left to whoever displays it.
/// </summary>
internal static class ResultYaml
{
    private static readonly Dictionary<string, ScriptStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["passed"] = ScriptStatus.Passed,
        ["failed"] = ScriptStatus.Failed,
        ["degraded"] = ScriptStatus.Degraded,
        ["timedout"] = ScriptStatus.TimedOut,
        ["skipped"] = ScriptStatus.Skipped,
    };

    /// <summary>False when the document gives a status that is not one of the five.</summary>
    public static bool TryReadStatus(ReadOnlySpan<byte> yaml, out ScriptStatus? status)
    {
        status = null;
        var text = System.Text.Encoding.UTF8.GetString(yaml);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (!line.StartsWith("status:", StringComparison.Ordinal))
                continue;
            var value = line["status:".Length..];
            var comment = value.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0)
                value = value[..comment];
            value = value.Trim().Trim('"', '\'');
            if (value is "" or "null" or "~")
            {
                status = null;
                continue;
            }

            if (!Statuses.TryGetValue(value, out var known))
                return false;
            status = known;
        }

        return true;
    }
}
