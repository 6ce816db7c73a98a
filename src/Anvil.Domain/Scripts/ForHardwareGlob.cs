using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Anvil.Domain.Scripts;

/// <summary>Shell-style globs as Python's fnmatch reads them: <c>*</c>, <c>?</c>, <c>[seq]</c>, <c>[!seq]</c>.</summary>
internal static class ForHardwareGlob
{
    private static readonly ConcurrentDictionary<(string, bool), Regex> Compiled = new();

    public static bool IsMatch(string pattern, string text, bool ignoreCase) =>
        Compiled.GetOrAdd((pattern, ignoreCase), static key => Translate(key.Item1, key.Item2)).IsMatch(text);

    private static Regex Translate(string pattern, bool ignoreCase)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 2 <= pattern.Length ? i + 2 : pattern.Length);
                    if (close < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..close];
                    regex.Append('[');
                    if (set.StartsWith('!'))
                    {
                        regex.Append('^');
                        set = set[1..];
                    }

                    regex.Append(set.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal));
                    regex.Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        regex.Append('$');
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new Regex(regex.ToString(), options, TimeSpan.FromSeconds(1));
    }
}
