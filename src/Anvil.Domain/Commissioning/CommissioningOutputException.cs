namespace Anvil.Domain.Commissioning;

/// <summary>
/// A commissioning script's output could not be read. Thrown before anything is written, so the
/// caller can record the script as failed and keep the rest of its transaction.
/// </summary>
public sealed class CommissioningOutputException(string scriptName, string message, Exception? inner = null)
    : Exception($"{scriptName}: {message}", inner)
{
    public string ScriptName { get; } = scriptName;
}
