namespace Anvil.Rack.Tftp.Codec;

/// <summary>One option of a request or OACK (RFC 2347). Names compare case-insensitively.</summary>
internal readonly record struct TftpOption(string Name, string Value)
{
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
