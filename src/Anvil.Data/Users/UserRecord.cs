namespace Anvil.Data.Users;

public sealed record UserRecord(long Id, string Username, string Email, bool IsSuperuser, bool IsActive, bool IsLocal);
