using System.Text.Json;
using Anvil.Cli.Output;
using Anvil.Cli.Profiles;
using Anvil.Client;

namespace Anvil.Cli.Commands;

/// <summary>Turns the failures a user can cause or meet into a message and an exit code, not a stack trace.</summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(CliEnvironment environment, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (MaasApiException e)
        {
            environment.Error.WriteText(e.Body.Length > 0 ? e.Body : $"HTTP {(int)e.StatusCode} {e.StatusCode}");
            return ExitCodes.ApiError;
        }
        catch (HttpRequestException e)
        {
            return Fail(environment, $"Cannot reach the server: {e.Message}");
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException
            or InvalidDataException or JsonException or ProfileStoreException or ArgumentException)
        {
            return Fail(environment, e.Message);
        }
    }

    public static int Fail(CliEnvironment environment, string message)
    {
        environment.Error.WriteText($"error: {message}");
        return ExitCodes.Failure;
    }
}
