using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Anvil.Data.SshKeys;

/// <summary>
/// An OpenSSH public key line (<c>type base64-blob [comment]</c>), checked well enough that a key
/// stored here will be accepted by sshd's authorized_keys on a deployed machine: a known type, a
/// blob that decodes, whose wire fields are complete and whose embedded type matches.
/// </summary>
public sealed record SshPublicKey(string Type, string Blob, string Comment)
{
    /// <summary>Number of length-prefixed fields in the blob of each supported type, the type name included.</summary>
    private static readonly FrozenDictionary<string, int> FieldCounts = new Dictionary<string, int>
    {
        ["ssh-rsa"] = 3, // type, e, n
        ["ssh-ed25519"] = 2, // type, key
        ["ecdsa-sha2-nistp256"] = 3, // type, curve, point
        ["ecdsa-sha2-nistp384"] = 3,
        ["ecdsa-sha2-nistp521"] = 3,
        ["sk-ssh-ed25519@openssh.com"] = 3, // type, key, application
        ["sk-ecdsa-sha2-nistp256@openssh.com"] = 4, // type, curve, point, application
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> SupportedTypes => FieldCounts.Keys.Order(StringComparer.Ordinal);

    /// <summary>The key as stored: single spaces, no trailing newline.</summary>
    public override string ToString() => Comment.Length == 0 ? $"{Type} {Blob}" : $"{Type} {Blob} {Comment}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out SshPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var parts = (text ?? "").Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            error = "Invalid SSH public key: expected '<type> <base64 key> [comment]'.";
            return false;
        }

        var type = parts[0];
        if (!FieldCounts.TryGetValue(type, out var fieldCount))
        {
            error = $"Invalid SSH public key: unsupported key type '{type}' (supported: {string.Join(", ", SupportedTypes)}).";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            error = "Invalid SSH public key: the key data is not valid base64.";
            return false;
        }

        if (!TryReadFields(blob, out var fields) || fields.Count != fieldCount || fields[0] != type)
        {
            error = $"Invalid SSH public key: the key data is not a well-formed {type} key.";
            return false;
        }

        key = new SshPublicKey(type, parts[1], parts.Length > 2 ? string.Join(' ', parts[2].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : "");
        error = null;
        return true;
    }

    /// <summary>Splits the blob into its uint32-length-prefixed fields; the first is kept as text (the type), the rest only counted.</summary>
    private static bool TryReadFields(ReadOnlySpan<byte> blob, out List<string> fields)
    {
        fields = [];
        while (!blob.IsEmpty)
        {
            if (blob.Length < 4)
                return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
            if (length > (uint)(blob.Length - 4))
                return false;
            var value = blob.Slice(4, (int)length);
            fields.Add(fields.Count == 0 ? System.Text.Encoding.ASCII.GetString(value) : "");
            blob = blob[(4 + (int)length)..];
        }

        return fields.Count > 0;
    }
}
