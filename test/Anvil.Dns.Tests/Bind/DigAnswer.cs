using System.Text.RegularExpressions;

namespace Anvil.Dns.Tests.Bind;

/// <summary>The parts of dig's output the tests look at: the response code and the answer and additional records.</summary>
internal sealed partial record DigAnswer(string Status, IReadOnlyList<string> Answer, IReadOnlyList<string> Additional, string Text)
{
    public static DigAnswer Parse(string output)
    {
        var status = StatusPattern().Match(output) is { Success: true } match ? match.Groups[1].Value : "NO RESPONSE";
        return new DigAnswer(status, Section(output, "ANSWER"), Section(output, "ADDITIONAL"), output);
    }

    /// <summary>Records of a section with whitespace collapsed: "ns.example.test. 30 IN A 10.9.8.7".</summary>
    private static List<string> Section(string output, string name)
    {
        var records = new List<string>();
        var inside = false;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith($";; {name} SECTION:", StringComparison.Ordinal))
            {
                inside = true;
                continue;
            }

            if (inside && (line.Length == 0 || line.StartsWith(';')))
                break;
            if (inside)
                records.Add(Whitespace().Replace(line.Trim(), " "));
        }

        return records;
    }

    [GeneratedRegex(@"status: ([A-Z]+)")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
