using System.Buffers;

namespace Anvil.Domain.Images;

/// <summary>Lower-case hex SHA-256 digests as boot resources store them.</summary>
public static class Sha256Text
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool IsValid(string? text) => text is { Length: 64 } && !text.AsSpan().ContainsAnyExcept(LowerHex);

    /// <summary>Whether <paramref name="segment"/> is lower-case hex, as a sha256 prefix is.</summary>
    public static bool IsHex(ReadOnlySpan<char> segment) => !segment.ContainsAnyExcept(LowerHex);
}
