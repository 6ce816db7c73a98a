namespace Anvil.Region.Api.Framework;

/// <summary>Limits of the API framework.</summary>
public sealed class MaasApiOptions
{
    /// <summary>
    /// Largest form body (multipart or urlencoded) buffered for parsing. Raw bodies (JSON,
    /// octet-stream image chunks) are not buffered and are left to the action.
    /// </summary>
    public long MaxFormBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How far an OAuth timestamp may be from now (python-oauth's threshold, which MAAS keeps).</summary>
    public TimeSpan OAuthTimestampThreshold { get; set; } = TimeSpan.FromSeconds(300);
}
