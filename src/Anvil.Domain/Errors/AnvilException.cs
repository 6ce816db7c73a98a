namespace Anvil.Domain.Errors;

/// <summary>
/// A refusal that the caller caused or can act on (bad input, no permission, wrong state).
/// It never means a bug; the API turns it into MAAS's status and body, and nothing the
/// operation did before the throw is committed.
/// </summary>
public abstract class AnvilException(ErrorKind kind, string message) : Exception(message)
{
    public ErrorKind Kind { get; } = kind;
}

/// <summary>400 with a plain-text message (MAAS's MAASAPIBadRequest).</summary>
public sealed class BadRequestException(string message) : AnvilException(ErrorKind.BadRequest, message);

/// <summary>400 with a JSON object of field errors, e.g. <c>{"name": ["This field is required."]}</c>.</summary>
public sealed class ValidationException : AnvilException
{
    public ValidationException(IReadOnlyDictionary<string, IReadOnlyList<string>> fieldErrors)
        : base(ErrorKind.BadRequest, string.Join("; ", fieldErrors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        FieldErrors = fieldErrors;
    }

    public ValidationException(string field, string error)
        : this(new Dictionary<string, IReadOnlyList<string>> { [field] = [error] })
    {
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; }
}

/// <summary>401: no or invalid credentials.</summary>
public sealed class UnauthorizedException(string message) : AnvilException(ErrorKind.Unauthorized, message);

/// <summary>403: authenticated, but not allowed.</summary>
public sealed class ForbiddenException(string message) : AnvilException(ErrorKind.Forbidden, message);

/// <summary>404: no such object (or not visible to the caller).</summary>
public sealed class NotFoundException(string message) : AnvilException(ErrorKind.NotFound, message);

/// <summary>409: the object's state does not allow the operation (MAAS's NodeStateViolation and friends).</summary>
public sealed class ConflictException(string message) : AnvilException(ErrorKind.Conflict, message);

/// <summary>410: the endpoint existed in MAAS but the capability was removed.</summary>
public sealed class GoneException(string message) : AnvilException(ErrorKind.Gone, message);

/// <summary>503: temporarily impossible (exhausted pool, unreachable rack); clients retry.</summary>
public sealed class UnavailableException(string message) : AnvilException(ErrorKind.Unavailable, message);
