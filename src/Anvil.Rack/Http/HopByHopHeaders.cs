using Microsoft.Extensions.Primitives;

namespace Anvil.Rack.Http;

/// <summary>Headers that describe one connection and so are never forwarded (RFC 9110 §7.6.1).</summary>
internal static class HopByHopHeaders
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect",
    };

    /// <summary>The set for one message: the fixed names plus those its <c>Connection</c> header lists.</summary>
    public static HashSet<string> For(StringValues connection)
    {
        var names = new HashSet<string>(Always, StringComparer.OrdinalIgnoreCase);
        foreach (var value in connection)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                names.Add(name);
        }

        return names;
    }
}
