using Anvil.Dns.Tsig;

namespace Anvil.Dns.Tests.Support;

/// <summary>
/// The messages Captures/capture.py recorded from real named, dig and nsupdate: one hex file per
/// DNS message (<c>step.n.q.hex</c> to the server, <c>step.n.r.hex</c> from it) and what the tool
/// printed (<c>step.out.txt</c>).
/// </summary>
internal static class CaptureFiles
{
    /// <summary>The key capture.py configured in named and gave dig and nsupdate.</summary>
    public static readonly TsigKey Key = new("capture-key", TsigAlgorithm.HmacSha256, Convert.FromBase64String("Eo110mkQh3oKFfNsRMfJvVd4FFl2iivDTezftUrNmEc="));

    public static readonly string[] QuerySteps =
        ["query-a", "query-aaaa", "query-mx", "query-txt", "query-srv", "query-soa", "query-ptr", "query-cname", "query-sshfp", "query-nxdomain"];

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Captures");

    /// <summary>Every message of a step in the order it crossed the wire, with its direction.</summary>
    public static IReadOnlyList<(bool ToServer, byte[] Message)> Messages(string step) =>
        Directory.GetFiles(Folder, step + ".*.hex")
            .Select(path => (Parts: Path.GetFileName(path).Split('.'), Path: path))
            .OrderBy(f => int.Parse(f.Parts[^3], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (f.Parts[^2] == "q", Convert.FromHexString(File.ReadAllText(f.Path).Trim())))
            .ToList();

    public static byte[] Request(string step) => Messages(step).First(m => m.ToServer).Message;

    public static IReadOnlyList<byte[]> Responses(string step) => Messages(step).Where(m => !m.ToServer).Select(m => m.Message).ToList();

    /// <summary>Every capture file's messages, for mutation fuzzing.</summary>
    public static IReadOnlyList<byte[]> All() =>
        Directory.GetFiles(Folder, "*.hex").Order(StringComparer.Ordinal).Select(p => Convert.FromHexString(File.ReadAllText(p).Trim())).ToList();

    public static string ToolOutput(string step) => File.ReadAllText(Path.Combine(Folder, step + ".out.txt"));
}
