using System.Diagnostics.CodeAnalysis;

namespace Anvil.Client;

/// <summary>
/// A MAAS API key: the OAuth consumer key, token key and token secret, plus the consumer secret,
/// which is empty for user keys and only present in machine-side credentials.
/// </summary>
/// <param name="ConsumerKey">The OAuth consumer key.</param>
/// <param name="TokenKey">The OAuth access token key.</param>
/// <param name="TokenSecret">The OAuth access token secret.</param>
/// <param name="ConsumerSecret">The OAuth consumer secret; empty for user API keys.</param>
public sealed record MaasApiKey(string ConsumerKey, string TokenKey, string TokenSecret, string ConsumerSecret = "")
{
    private const string ExpectedForm =
        "An API key has the form 'consumer_key:token_key:token_secret' (optionally followed by ':consumer_secret')";

    /// <summary>
    /// Parses <c>consumer_key:token_key:token_secret</c> or
    /// <c>consumer_key:token_key:token_secret:consumer_secret</c>. Surrounding whitespace is ignored.
    /// </summary>
    /// <param name="value">The API key text.</param>
    /// <returns>The parsed key.</returns>
    /// <exception cref="FormatException">The text does not have three or four parts, or a key part is empty.</exception>
    public static MaasApiKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var key, out var error) ? key : throw new FormatException(error);
    }

    /// <summary>Parses an API key without throwing.</summary>
    /// <param name="value">The API key text.</param>
    /// <param name="key">The parsed key, when the text is valid.</param>
    /// <returns><see langword="true"/> when the text is a valid API key.</returns>
    public static bool TryParse(string? value, [NotNullWhen(true)] out MaasApiKey? key) =>
        TryParse(value, out key, out _);

    private static bool TryParse(string? value, [NotNullWhen(true)] out MaasApiKey? key, out string error)
    {
        key = null;
        // The message never echoes the input: it may hold a secret.
        var parts = (value ?? "").Trim().Split(':');
        if (parts.Length is not (3 or 4))
        {
            error = $"{ExpectedForm}; the value given has {parts.Length} part(s).";
            return false;
        }

        string[] names = ["consumer_key", "token_key", "token_secret"];
        for (var i = 0; i < names.Length; i++)
        {
            if (parts[i].Length == 0)
            {
                error = $"{ExpectedForm}; its {names[i]} part is empty.";
                return false;
            }
        }

        key = new MaasApiKey(parts[0], parts[1], parts[2], parts.Length == 4 ? parts[3] : "");
        error = "";
        return true;
    }

    /// <summary>The key in its colon-separated text form, including the secrets.</summary>
    /// <returns>The text accepted by <see cref="Parse"/>.</returns>
    public string ToKeyString() =>
        ConsumerSecret.Length == 0
            ? $"{ConsumerKey}:{TokenKey}:{TokenSecret}"
            : $"{ConsumerKey}:{TokenKey}:{TokenSecret}:{ConsumerSecret}";

    /// <summary>A display form that hides the secrets, so keys can appear in logs.</summary>
    /// <returns>The consumer and token keys with the secret masked.</returns>
    public override string ToString() => $"{ConsumerKey}:{TokenKey}:***";
}
