using System.Net;

namespace Anvil.Client;

/// <summary>The MAAS API answered with a status other than 2xx.</summary>
public sealed class MaasApiException : Exception
{
    private const int MaxBodyInMessage = 500;

    /// <summary>Creates the exception from the failed response.</summary>
    /// <param name="response">The non-2xx response.</param>
    public MaasApiException(MaasResponse response)
        : base(BuildMessage(response))
    {
        Response = response;
    }

    /// <summary>The full response.</summary>
    public MaasResponse Response { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode => Response.StatusCode;

    /// <summary>The response body as text; MAAS puts its error message here.</summary>
    public string Body => Response.BodyText;

    private static string BuildMessage(MaasResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = response.BodyText;
        if (body.Length > MaxBodyInMessage)
        {
            body = body[..MaxBodyInMessage] + "…";
        }

        return $"{response.RequestMethod} {response.RequestUri} returned {(int)response.StatusCode} {response.StatusCode}: {body}";
    }
}
