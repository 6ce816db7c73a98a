using System.Text.Encodings.Web;
using System.Text.Json;
using Anvil.Client;

namespace Anvil.Cli.Output;

internal static class ResponsePrinter
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        // Hostnames and descriptions should print as typed, not as \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Prints a 2xx body to stdout, or a failed response's body to stderr; returns the exit code.</summary>
    public static int Print(MaasResponse response, CliEnvironment environment)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = response.BodyText;
            environment.Error.WriteText(body.Length > 0 ? body : $"HTTP {(int)response.StatusCode} {response.StatusCode}");
            return ExitCodes.ApiError;
        }

        if (response.Body.Length > 0)
        {
            environment.Out.WriteText(Format(response));
        }

        return ExitCodes.Success;
    }

    public static string Format(MaasResponse response)
    {
        if (!response.IsJson)
        {
            return response.BodyText;
        }

        try
        {
            using var document = response.ParseJson();
            return JsonSerializer.Serialize(document.RootElement, Pretty);
        }
        catch (JsonException)
        {
            return response.BodyText;
        }
    }
}
