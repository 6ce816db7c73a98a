using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Anvil.Rack.Metrics;

/// <summary>
/// The rack's counters (packets received, answered, dropped by reason, bytes sent, …), shared by
/// its servers and shown in Prometheus text form at the rack's <c>/metrics</c>. A counter is
/// created on first use and lives as long as the process.
/// </summary>
public sealed class RackMetrics
{
    private readonly ConcurrentDictionary<(string Name, string Labels), Counter> counters = new();
    private readonly ConcurrentDictionary<string, string> help = new(StringComparer.Ordinal);

    /// <summary>The counter <paramref name="name"/> with the given label pairs (<c>reason="malformed"</c>).</summary>
    public Counter Counter(string name, string description, params (string Key, string Value)[] labels)
    {
        help.TryAdd(name, description);
        var text = string.Join(',', labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\""));
        return counters.GetOrAdd((name, text), static _ => new Counter());
    }

    /// <summary>The current value, or 0 when the counter was never used.</summary>
    public long Value(string name, params (string Key, string Value)[] labels)
    {
        var text = string.Join(',', labels.Select(l => $"{l.Key}=\"{Escape(l.Value)}\""));
        return counters.TryGetValue((name, text), out var counter) ? counter.Value : 0;
    }

    public string RenderPrometheus()
    {
        var output = new StringBuilder();
        foreach (var group in counters.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.Append("# HELP ").Append(group.Key).Append(' ').Append(help.GetValueOrDefault(group.Key, "")).Append('\n');
            output.Append("# TYPE ").Append(group.Key).Append(" counter\n");
            foreach (var (key, counter) in group.OrderBy(c => c.Key.Labels, StringComparer.Ordinal))
            {
                output.Append(key.Name);
                if (key.Labels.Length > 0)
                    output.Append('{').Append(key.Labels).Append('}');
                output.Append(' ').Append(counter.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return output.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

/// <summary>A monotonically increasing count, safe to bump from any thread.</summary>
public sealed class Counter
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    public void Increment() => Interlocked.Increment(ref value);

    public void Add(long amount) => Interlocked.Add(ref value, amount);
}
