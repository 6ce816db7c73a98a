using System.Text;

namespace Anvil.Data.Postgres;

/// <summary>
/// Anvil's settings for its private cluster, kept in their own file that <c>postgresql.conf</c>
/// includes, so they are rewritten at every start without touching the operator's edits.
/// </summary>
internal static class ClusterSettings
{
    public const string FileName = "anvil.conf";
    private const string IncludeLine = "include_if_exists = '" + FileName + "'";

    public static string Render(ManagedPostgresOptions options, string socketDirectory)
    {
        var settings = new List<KeyValuePair<string, string>>
        {
            // Unix socket only: nothing outside this host, and only root and the cluster user reach the socket directory.
            new("listen_addresses", "''"),
            new("unix_socket_directories", Quote(socketDirectory)),
            new("max_connections", options.MaxConnections.ToString()),
            new("shared_buffers", Quote(options.SharedBuffers)),
            new("logging_collector", "on"),
            new("log_directory", "'log'"),
            new("log_filename", "'postgresql-%a.log'"),
            new("log_truncate_on_rotation", "on"),
            new("log_rotation_age", "'1d'"),
            new("log_rotation_size", "0"),
        };
        settings.AddRange(options.ExtraSettings);

        var text = new StringBuilder("# Written by Anvil at every start; changes here are lost. Configure Anvil instead.\n");
        foreach (var (name, value) in settings)
        {
            text.Append(name).Append(" = ").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Makes <c>postgresql.conf</c> include Anvil's file (appended, so Anvil's values win).</summary>
    public static void EnsureIncluded(string clusterDirectory)
    {
        var mainConfig = Path.Combine(clusterDirectory, "postgresql.conf");
        if (!File.ReadLines(mainConfig).Any(line => line.Trim() == IncludeLine))
        {
            File.AppendAllText(mainConfig, $"\n# Anvil's settings\n{IncludeLine}\n");
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
}
