using Anvil.Data;
using Anvil.Data.Users;
using Anvil.Region.Api.Framework;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Region.Auth;

/// <summary>
/// <c>POST /MAAS/accounts/authenticate/</c>: username and password in, an API token out — how
/// python-libmaas and the UI log in. Token secrets are stored hashed, so unlike MAAS (which hands
/// back an existing token) every successful call issues a new token.
/// </summary>
internal static class AccountsEndpoints
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/MAAS/accounts/authenticate/", ["GET", "PUT", "DELETE", "PATCH"], static (HttpContext context) =>
            Results.Text("Method not allowed.", "text/plain", null, StatusCodes.Status405MethodNotAllowed));
        endpoints.MapPost("/MAAS/accounts/authenticate/", (Func<HttpContext, Task<IResult>>)AuthenticateAsync);
        return endpoints;
    }

    private static async Task<IResult> AuthenticateAsync(HttpContext context)
    {
        // The API's own body reader: python clients send base64-encoded multipart parts.
        ApiBody body;
        try
        {
            body = await ApiBodyReader.ReadAsync(context.Request, 64 * 1024, context.RequestAborted);
        }
        catch (Anvil.Domain.Errors.AnvilException e)
        {
            return Results.Text(e.Message, "text/plain", null, StatusCodes.Status400BadRequest);
        }

        var username = body.Get("username") ?? "";
        var password = body.Get("password") ?? "";
        var consumer = body.Get("consumer");
        var db = context.RequestServices.GetRequiredService<Database>();
        var users = context.RequestServices.GetRequiredService<UserStore>();
        var hash = await db.ReadAsync(c => UserStore.PasswordHashAsync(c, username, context.RequestAborted), context.RequestAborted);

        // The same work and the same answer whether the user is unknown or the password wrong.
        var valid = Credentials.PasswordMatches(password, hash ?? DummyHash);
        var user = valid && hash is not null ? await users.FindAsync(username, context.RequestAborted) : null;
        if (user is null)
        {
            ApiErrorWriter.AddStatusHeaders(context.Response, StatusCodes.Status403Forbidden, context.RequestServices.GetRequiredService<TimeProvider>());
            return Results.Text("Invalid credentials.", "text/plain", null, StatusCodes.Status403Forbidden);
        }

        var token = await db.InTransactionAsync((c, tx) => UserStore.CreateTokenAsync(c, tx, user.Id, consumer, context.RequestAborted), context.RequestAborted);
        return Results.Json(
            new Dictionary<string, string>
            {
                ["consumer_key"] = token.ConsumerKey,
                ["name"] = token.ConsumerName,
                ["token_key"] = token.TokenKey,
                ["token_secret"] = token.TokenSecret,
            });
    }

    private static readonly string DummyHash = Credentials.HashPassword(Guid.NewGuid().ToString());
}
