using System.Diagnostics.CodeAnalysis;

namespace Anvil.Rack.Boot;

/// <summary>MAC addresses as they appear in boot file names, normalised to lower-case colon form.</summary>
internal static class MacText
{
    /// <summary>Six two-digit hex groups separated by <paramref name="separator"/>.</summary>
    public static bool TryNormalise(ReadOnlySpan<char> text, char separator, [NotNullWhen(true)] out string? mac)
    {
        mac = null;
        if (text.Length != 17)
            return false;
        Span<char> output = stackalloc char[17];
        for (var i = 0; i < 17; i++)
        {
            var c = text[i];
            if (i % 3 == 2)
            {
                if (c != separator)
                    return false;
                output[i] = ':';
            }
            else
            {
                if (!char.IsAsciiHexDigit(c))
                    return false;
                output[i] = char.ToLowerInvariant(c);
            }
        }

        mac = new string(output);
        return true;
    }
}
