using System.Text.RegularExpressions;

namespace Anvil.Cli.Api;

/// <summary>Derives command names from describe/ the way the maas CLI does, so both CLIs agree.</summary>
internal static partial class CommandNames
{
    /// <summary>
    /// Splits the class name into words (a run of capitals joins the following lower-case run, so
    /// acronyms stick to the next word: DNSResourceRecords → dnsresource-records), lower-cases them,
    /// drops "handler" and joins with '-'.
    /// </summary>
    public static string ForHandler(string resourceName) =>
        string.Join("-", Words().Matches(resourceName)
            .Select(m => m.Value.ToLowerInvariant())
            .Where(w => w != "handler"));

    public static string ForAction(string actionName) => actionName.Replace('_', '-');

    [GeneratedRegex("[A-Z]*[a-z0-9]+|[A-Z]+")]
    private static partial Regex Words();
}
