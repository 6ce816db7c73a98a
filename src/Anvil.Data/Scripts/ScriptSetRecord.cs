using Anvil.Domain.Scripts;

namespace Anvil.Data.Scripts;

/// <summary>One run of scripts on a node (commissioning, testing, installation or release).</summary>
public sealed class ScriptSetRecord
{
    public long Id { get; set; }
    public long NodeId { get; set; }
    public ResultType ResultType { get; set; }
    public DateTimeOffset? LastPing { get; set; }
    public string PowerStateBeforeTransition { get; set; } = "unknown";

    /// <summary>The script tags the user asked for; for_hardware scripts with these tags join once the hardware is known.</summary>
    public string[] Tags { get; set; } = [];

    public string[] RequestedScripts { get; set; } = [];
}

/// <summary>The script sets a node shows as current (<c>node.current_*_result_id</c>).</summary>
public sealed record CurrentScriptSets(long? Commissioning, long? Testing, long? Installation, long? Release)
{
    public long? For(ResultType type) => type switch
    {
        ResultType.Commissioning => Commissioning,
        ResultType.Testing => Testing,
        ResultType.Installation => Installation,
        _ => Release,
    };

    public IReadOnlyList<long> All => new[] { Commissioning, Testing, Installation, Release }.OfType<long>().ToArray();
}
