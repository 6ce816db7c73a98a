using System.Text;

namespace Anvil.Dns.Wire;

/// <summary>
/// Domain names between presentation form (<c>host.maas.</c>, with <c>\.</c> and <c>\DDD</c>
/// escapes) and uncompressed wire form. Names are folded to lower case as they are read, which is
/// the form Anvil compares and publishes.
/// </summary>
internal static class DnsNames
{
    public static readonly byte[] RootWire = [0];

    /// <summary>
    /// Parses a presentation name. A name without the trailing dot is relative and gets
    /// <paramref name="origin"/> appended (or the root when there is none); <c>@</c> is the origin.
    /// </summary>
    public static bool TryParse(string text, string? origin, out byte[] wire, out string error)
    {
        wire = RootWire;
        if (string.IsNullOrEmpty(text))
        {
            error = "a name cannot be empty";
            return false;
        }

        byte[] originWire = RootWire;
        if (!string.IsNullOrEmpty(origin) && origin != "." && !TryParse(origin.EndsWith('.') ? origin : origin + ".", null, out originWire, out var originError))
        {
            error = $"the origin '{origin}' is not a valid name: {originError}";
            return false;
        }

        if (text == "@")
        {
            wire = originWire;
            error = "";
            return true;
        }

        if (text == ".")
        {
            error = "";
            return true;
        }

        var output = new List<byte>(text.Length + 2);
        var label = new List<byte>(63);
        var absolute = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (label.Count == 0)
                {
                    error = $"'{text}' has an empty label";
                    return false;
                }

                if (!FlushLabel(output, label, text, out error))
                    return false;
                if (i == text.Length - 1)
                    absolute = true;
                continue;
            }

            byte value;
            if (c == '\\')
            {
                if (!TryReadEscape(text, ref i, out value, out error))
                    return false;
            }
            else if (c > 0x20 && c < 0x7F)
            {
                value = (byte)c;
            }
            else
            {
                error = $"'{text}' contains a character that must be escaped (\\DDD)";
                return false;
            }

            label.Add(value is >= (byte)'A' and <= (byte)'Z' ? (byte)(value + 32) : value);
        }

        if (label.Count > 0 && !FlushLabel(output, label, text, out error))
            return false;

        if (absolute)
            output.Add(0);
        else
            output.AddRange(originWire);

        if (output.Count > DnsWireReader.MaxNameLength)
        {
            error = $"'{text}' is longer than 255 octets";
            return false;
        }

        wire = [.. output];
        error = "";
        return true;
    }

    /// <summary>Parses an absolute name, throwing <see cref="FormatException"/> when it is not one.</summary>
    public static byte[] ToWire(string text)
    {
        if (!TryParse(text.EndsWith('.') ? text : text + ".", null, out var wire, out var error))
            throw new FormatException($"'{text}' is not a valid DNS name: {error}.");
        return wire;
    }

    /// <summary>Turns an uncompressed wire name into presentation form with the trailing dot.</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var reader = new DnsWireReader(wire);
        return reader.ReadName();
    }

    /// <summary>The presentation form Anvil uses for owner names: no trailing dot (the root is empty).</summary>
    public static string WithoutTrailingDot(string name) => name == "." ? "" : name.TrimEnd('.');

    public static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        foreach (var b in label)
        {
            if (b is >= (byte)'A' and <= (byte)'Z')
                text.Append((char)(b + 32));
            else if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
                text.Append('\\').Append((char)b);
            else if (b is > 0x20 and < 0x7F)
                text.Append((char)b);
            else
                text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads the escape starting at <c>text[i]</c> (a backslash); leaves <paramref name="i"/> on its last character.</summary>
    public static bool TryReadEscape(string text, ref int i, out byte value, out string error)
    {
        value = 0;
        if (i + 1 >= text.Length)
        {
            error = $"'{text}' ends with a lone backslash";
            return false;
        }

        if (char.IsAsciiDigit(text[i + 1]))
        {
            if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
            {
                error = $"'{text}' has a \\DDD escape without three digits";
                return false;
            }

            var number = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
            if (number > 255)
            {
                error = $"'{text}' has a \\DDD escape above 255";
                return false;
            }

            value = (byte)number;
            i += 3;
            error = "";
            return true;
        }

        var escaped = text[i + 1];
        if (escaped > 0x7E || escaped < 0x20)
        {
            error = $"'{text}' escapes a character that is not printable ASCII";
            return false;
        }

        value = (byte)escaped;
        i += 1;
        error = "";
        return true;
    }

    private static bool FlushLabel(List<byte> output, List<byte> label, string text, out string error)
    {
        if (label.Count > DnsWireReader.MaxLabelLength)
        {
            error = $"'{text}' has a label longer than 63 octets";
            return false;
        }

        output.Add((byte)label.Count);
        output.AddRange(label);
        label.Clear();
        error = "";
        return true;
    }
}
