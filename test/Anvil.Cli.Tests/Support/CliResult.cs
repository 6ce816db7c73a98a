namespace Anvil.Cli.Support;

public sealed record CliResult(int ExitCode, string Out, string Error);
