namespace Anvil.Client;

/// <summary>Settings for a <see cref="MaasClient"/>.</summary>
public sealed record MaasClientOptions
{
    /// <summary>How POST and PUT parameters are encoded. Plain multipart by default.</summary>
    public MaasBodyEncoding BodyEncoding { get; init; } = MaasBodyEncoding.Multipart;

    /// <summary>The clock used for OAuth timestamps. The system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The <c>User-Agent</c> product token sent with every request.</summary>
    public string UserAgent { get; init; } = "anvil-client/1.0";
}
