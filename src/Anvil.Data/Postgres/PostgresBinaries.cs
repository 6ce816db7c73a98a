namespace Anvil.Data.Postgres;

/// <summary>The PostgreSQL server tools of one installed version.</summary>
internal sealed record PostgresBinaries(string BinDirectory)
{
    private static readonly string[] RequiredTools = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>
    /// Finds the tools: the explicit directory when given, else the version under
    /// <paramref name="postgresRoot"/> matching an existing cluster (a cluster can only be run by
    /// its own major version), else the highest version installed.
    /// </summary>
    public static PostgresBinaries Locate(string? binDirectory, string postgresRoot, int? clusterMajorVersion)
    {
        if (binDirectory is not null)
        {
            var missing = RequiredTools.Where(t => !File.Exists(Path.Combine(binDirectory, t))).ToList();
            if (missing.Count > 0)
            {
                throw new ManagedPostgresException(
                    $"The configured PostgreSQL binary directory '{binDirectory}' lacks {string.Join(", ", missing)}. " +
                    $"Point it at the bin directory of a PostgreSQL installation (e.g. {DefaultBinHint(postgresRoot)}), " +
                    "or leave it unset to use Debian's postgresql package (apt-get install postgresql).");
            }

            return new PostgresBinaries(binDirectory);
        }

        var installed = InstalledVersions(postgresRoot);
        if (installed.Count == 0)
        {
            throw new ManagedPostgresException(
                $"PostgreSQL binaries not found under {postgresRoot}; install Debian's postgresql package " +
                "(apt-get install postgresql) or configure the directory holding initdb and pg_ctl.");
        }

        if (clusterMajorVersion is { } wanted)
        {
            if (installed.TryGetValue(wanted, out var matching))
            {
                return new PostgresBinaries(matching);
            }

            throw new ManagedPostgresException(
                $"The existing database cluster was created by PostgreSQL {wanted}, but only version(s) " +
                $"{string.Join(", ", installed.Keys)} are installed under {postgresRoot}. Install postgresql-{wanted} " +
                "(apt-get install postgresql-" + wanted + ") to run it, or upgrade the cluster with pg_upgrade.");
        }

        return new PostgresBinaries(installed.Values[^1]);
    }

    private static SortedList<int, string> InstalledVersions(string postgresRoot)
    {
        var versions = new SortedList<int, string>();
        if (!Directory.Exists(postgresRoot))
        {
            return versions;
        }

        foreach (var versionDirectory in Directory.EnumerateDirectories(postgresRoot))
        {
            var bin = Path.Combine(versionDirectory, "bin");
            if (int.TryParse(Path.GetFileName(versionDirectory), out var major)
                && RequiredTools.All(t => File.Exists(Path.Combine(bin, t))))
            {
                versions[major] = bin;
            }
        }

        return versions;
    }

    private static string DefaultBinHint(string postgresRoot) => Path.Combine(postgresRoot, "<version>", "bin");
}
