namespace Anvil.Cli;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Usage errors, unreachable servers, bad profiles.</summary>
    public const int Failure = 1;

    /// <summary>The server answered with a non-2xx status (the maas CLI's code for this).</summary>
    public const int ApiError = 2;
}
