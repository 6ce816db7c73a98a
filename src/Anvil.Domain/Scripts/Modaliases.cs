using System.Text;

namespace Anvil.Domain.Scripts;

/// <summary>The output of the built-in <c>maas-list-modaliases</c>: one kernel modalias per line.</summary>
public static class Modaliases
{
    public const string ScriptName = "maas-list-modaliases";

    /// <summary>The distinct non-empty lines, trimmed, in order; nothing for no output.</summary>
    public static IReadOnlyList<string> Parse(ReadOnlySpan<byte> output)
    {
        var modaliases = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(output).Split('\n'))
        {
            var modalias = line.Trim();
            if (modalias.Length > 0 && seen.Add(modalias))
                modaliases.Add(modalias);
        }

        return modaliases;
    }
}
