using Microsoft.AspNetCore.Http;

namespace Anvil.Region.Api.Framework;

/// <summary>
/// Optional: lets a logged-in web UI session call the API (MAAS accepts session users there).
/// Consulted only when a request carries no OAuth credentials; the implementation owns CSRF.
/// </summary>
public interface IApiSessionAuthenticator
{
    /// <summary>The session's user, or null when the request has no valid session.</summary>
    Task<ApiUser?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken);
}
