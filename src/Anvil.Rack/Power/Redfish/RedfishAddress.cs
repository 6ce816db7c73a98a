namespace Anvil.Rack.Power.Redfish;

/// <summary>Reads <c>power_address</c> as the BMC's base URL: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or a full URL.</summary>
internal static class RedfishAddress
{
    public static Uri Parse(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            // A bare IPv6 address has several colons and no brackets; anything else is host[:port].
            if (text.Count(c => c == ':') > 1 && !text.StartsWith('['))
                text = $"[{text}]";
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
            throw new PowerException(PowerErrorKind.InvalidParameters, $"The Redfish power_address '{address}' is not a host, host:port or http(s) URL.");
        if (uri.UserInfo.Length > 0)
            throw new PowerException(PowerErrorKind.InvalidParameters, "The Redfish power_address must not carry credentials; use power_user and power_pass.");
        return new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
    }
}
