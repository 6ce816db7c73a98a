namespace Anvil.Lab;

/// <summary><c>--name value</c> pairs; a flag without a value is an error so typos surface.</summary>
internal static class CommandLine
{
    public static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected an option, got '{args[i]}'.");
            if (i + 1 >= args.Count)
                throw new ArgumentException($"{args[i]} needs a value.");
            values[args[i]] = args[i + 1];
        }

        return values;
    }

    public static string Required(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required.");
}
