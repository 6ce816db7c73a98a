namespace Anvil.Region.Api.Resources.Dto;

/// <summary>A new token with its secret: the only time the secret is ever shown.</summary>
internal sealed record NewTokenDto(string TokenKey, string TokenSecret, string ConsumerKey, string Name);

/// <summary>
/// A listed token. MAAS shows <c>consumer:token:secret</c>; Anvil stores only the secret's hash, so
/// the secret field is empty (<c>consumer:token:</c>).
/// </summary>
internal sealed record TokenListItemDto(string Name, string Token);
