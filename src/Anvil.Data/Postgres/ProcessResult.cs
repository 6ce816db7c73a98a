namespace Anvil.Data.Postgres;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for error messages: PostgreSQL tools explain failures on either.</summary>
    public string Output => string.Join('\n', new[] { StandardOutput.Trim(), StandardError.Trim() }.Where(s => s.Length > 0));
}
