namespace Anvil.Dns.Bind;

internal sealed record ToolResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}
