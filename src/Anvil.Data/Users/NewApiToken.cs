namespace Anvil.Data.Users;

/// <summary>A freshly created token: the only moment its secret exists in clear.</summary>
public sealed record NewApiToken(string ConsumerKey, string TokenKey, string TokenSecret, string ConsumerName)
{
    /// <summary>The API key as MAAS prints it: <c>consumer_key:token_key:token_secret</c>.</summary>
    public string ApiKey => $"{ConsumerKey}:{TokenKey}:{TokenSecret}";
}
