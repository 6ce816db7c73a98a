using System.Text.RegularExpressions;

namespace Anvil.Dns.Tests.Support;

/// <summary>Reads dig's text output: the status line and the record lines, as canonical one-line strings.</summary>
internal static partial class DigOutput
{
    /// <summary>
    /// Record lines (any section) as <c>name ttl class type data</c> with single spaces between the
    /// fields; dig breaks long SSHFP fingerprints with a space, which is joined again here.
    /// </summary>
    public static IReadOnlyList<string> Records(string output, bool includeMeta = false) =>
        output.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith(';'))
            .Select(line => Fields().Split(line.Trim(), 5))
            .Where(fields => fields.Length == 5 && (includeMeta || fields[2] == "IN"))
            .Select(fields => string.Join(' ', fields[..4]) + " " + Data(fields[3], fields[4]))
            .ToList();

    /// <summary>The RDATA of <c>+short</c> output, one entry per line.</summary>
    public static IReadOnlyList<string> Short(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';')).ToList();

    public static string Status(string output) => StatusPattern().Match(output).Groups[1].Value;

    public static ushort Id(string output) => ushort.Parse(StatusPattern().Match(output).Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Data(string type, string data)
    {
        if (type != "SSHFP")
            return data;
        var parts = data.Split(' ', 3);
        return $"{parts[0]} {parts[1]} {parts[2].Replace(" ", "", StringComparison.Ordinal)}";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Fields();

    [GeneratedRegex(@"status: (\w+), id: (\d+)")]
    private static partial Regex StatusPattern();
}
