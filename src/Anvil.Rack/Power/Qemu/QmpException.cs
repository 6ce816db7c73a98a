namespace Anvil.Rack.Power.Qemu;

/// <summary>QEMU answered a command with <c>{"error": {"class": …, "desc": …}}</c>.</summary>
internal sealed class QmpException(string command, string errorClass, string description)
    : Exception($"QMP {command} failed: {errorClass}: {description}")
{
    public string Command { get; } = command;

    public string ErrorClass { get; } = errorClass;

    public string Description { get; } = description;
}
