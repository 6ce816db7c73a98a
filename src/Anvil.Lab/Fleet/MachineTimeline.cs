using System.Diagnostics;

namespace Anvil.Lab.Fleet;

/// <summary>One timed step of a machine: a name, when it started (since the fleet started), how long it took, and how it ended.</summary>
public sealed record MachineStep(string Name, double StartSeconds, double Seconds, string? Error);

/// <summary>Everything a machine did, timestamped against the fleet's clock, for the per-stage percentiles.</summary>
internal sealed class MachineTimeline(Stopwatch clock)
{
    private readonly List<MachineStep> steps = [];

    public IReadOnlyList<MachineStep> Steps
    {
        get
        {
            lock (steps)
                return [.. steps];
        }
    }

    public double Now => clock.Elapsed.TotalSeconds;

    /// <summary>The step running now, or the last one started: where a machine that never finished got stuck.</summary>
    public string? Current { get; private set; }

    /// <summary>Runs <paramref name="work"/> as the step <paramref name="name"/>; a failure is recorded and rethrown.</summary>
    public async Task<T> StepAsync<T>(string name, Func<Task<T>> work)
    {
        var start = Now;
        Current = name;
        try
        {
            var result = await work();
            Add(new MachineStep(name, start, Now - start, null));
            return result;
        }
        catch (Exception e)
        {
            Add(new MachineStep(name, start, Now - start, e is OperationCanceledException ? "cancelled" : e.Message));
            throw;
        }
    }

    public async Task StepAsync(string name, Func<Task> work) =>
        await StepAsync(name, async () =>
        {
            await work();
            return true;
        });

    /// <summary>A step measured elsewhere (e.g. from an API call to the power-on it caused).</summary>
    public void Add(MachineStep step)
    {
        lock (steps)
            steps.Add(step);
    }
}
