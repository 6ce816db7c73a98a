using System.Reflection;
using System.Text.RegularExpressions;

namespace Anvil.Data.Migrations;

/// <summary>The migrations shipped in this assembly as <c>Migrations/NNNN_name.sql</c> resources.</summary>
public static partial class EmbeddedMigrations
{
    private const string ResourcePrefix = "Anvil.Data.Migrations.";

    /// <summary>All shipped migrations in version order, checked for gaps and duplicates.</summary>
    public static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(EmbeddedMigrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .Select(r => KeyValuePair.Create(r[ResourcePrefix.Length..], Read(assembly, r)));
        return Parse(scripts);
    }

    /// <summary>Turns <c>NNNN_name.sql</c> file names and their SQL into an ordered, validated list.</summary>
    internal static IReadOnlyList<Migration> Parse(IEnumerable<KeyValuePair<string, string>> scripts)
    {
        var migrations = new List<Migration>();
        foreach (var (fileName, sql) in scripts)
        {
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration file '{fileName}' is not named NNNN_name.sql (four digits, an underscore, lower-case letters, digits and underscores).");
            }

            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, sql));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (i > 0 && migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Migrations {migrations[i - 1]} and {migrations[i]} share version {migrations[i].Version}; give each migration its own number.");
            }

            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration {migrations[i]} should be number {i + 1}: migrations are numbered from 0001 without gaps.");
            }
        }

        return migrations;
    }

    private static string Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded migration {resourceName} could not be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
