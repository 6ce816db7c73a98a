namespace Anvil.Domain.Users;

/// <summary>Who is asking: the authenticated user an operation is performed for.</summary>
public sealed record Actor(long UserId, string Username, bool IsAdmin);
