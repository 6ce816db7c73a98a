namespace Anvil.Domain.Errors;

/// <summary>What kind of refusal an <see cref="AnvilException"/> is; the API maps each to MAAS's status code.</summary>
public enum ErrorKind
{
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    Unavailable,
}
